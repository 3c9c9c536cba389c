import type { Knex } from 'knex';
import * as createKits from './20261123090000_create_kits';
import * as createKitLineNopProducts from './20261123110000_create_kit_line_nop_products';
import * as createDeliveriesAndTokens from './20261123120000_create_deliveries_and_tokens';
import * as keepDeliveryBodiesAsBytes from './20261124090000_keep_delivery_bodies_as_bytes';
import * as widenTotalsAndWeights from './20261124100000_widen_totals_and_weights';
import * as createConsoleSessions from './20261124110000_create_console_sessions';
import * as createNopPendingScrubs from './20261202090000_create_nop_pending_scrubs';
import * as createPrintQueue from './20261202110000_create_print_queue';
import * as createPrintRoomAnnouncements from './20261202120000_create_print_room_announcements';

/**
 * Migrations are listed here rather than discovered on disk, so the same list runs under ts-jest and from
 * the compiled build. Add each new migration file to this list, in order.
 */
const migrations: Record<string, Knex.Migration> = {
  '20261123090000_create_kits': createKits,
  '20261123110000_create_kit_line_nop_products': createKitLineNopProducts,
  '20261123120000_create_deliveries_and_tokens': createDeliveriesAndTokens,
  '20261124090000_keep_delivery_bodies_as_bytes': keepDeliveryBodiesAsBytes,
  '20261124100000_widen_totals_and_weights': widenTotalsAndWeights,
  '20261124110000_create_console_sessions': createConsoleSessions,
  '20261202090000_create_nop_pending_scrubs': createNopPendingScrubs,
  '20261202110000_create_print_queue': createPrintQueue,
  '20261202120000_create_print_room_announcements': createPrintRoomAnnouncements,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name]!,
};
