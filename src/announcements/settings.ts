/** How the print room is told of orders to print: which channels, and how hard to try. */

export const CHANNELS = ['email', 'webhook'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface EmailSettings {
  /** smtp://user:pass@host:587 or smtps://…: holds the password, never logged */
  smtpUrl: string;
  from: string;
  to: string[];
}

export interface WebhookSettings {
  url: string;
  /** whsec_<base64>, as Standard Webhooks serialises a signing secret */
  secret: string;
}

export interface PrintRoomSettings {
  email?: EmailSettings;
  webhook?: WebhookSettings;
  /** PUBLIC_BASE_URL: the print sheet's link starts with it */
  publicBaseUrl: string;
  /** announce orders placed before a channel was first configured, too */
  announceExisting: boolean;
  /** attempts of one announcement before it is shown as failed */
  maxAttempts: number;
}

/** The configured channels, in a fixed order. */
export const channelsOf = (settings: PrintRoomSettings): Channel[] => CHANNELS.filter((channel) => settings[channel] !== undefined);
