/** Every failure a client can see has a stable code; its HTTP status comes from this one table. */
const STATUS = {
  'invalid-json': 400,
  'invalid-payload': 400,
  'invalid-image': 400,
  'bad-request': 400,
  'not-found': 404,
  'method-not-allowed': 405,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  'rate-limited': 429,
  internal: 500,
  'database-unavailable': 503,
  'catalog-unavailable': 503,
} as const;

export type ErrorCode = keyof typeof STATUS;

const TITLES: Record<ErrorCode, string> = {
  'invalid-json': 'The body is not valid JSON',
  'invalid-payload': 'The body is not a valid SingleItemCheckout',
  'invalid-image': 'MainImage is not an acceptable PNG',
  'bad-request': 'The request could not be read',
  'not-found': 'Not found',
  'method-not-allowed': 'Method not allowed',
  'payload-too-large': 'The body is too large',
  'unsupported-media-type': 'The body must be application/json',
  'rate-limited': 'Too many requests',
  internal: 'Internal error',
  'database-unavailable': 'The database is unavailable; retry later',
  'catalog-unavailable': 'The shop catalog (nopCommerce) could not be written; retry later',
};

export interface FieldProblem {
  path: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    /** `cause` is logged by the error path, never shown to the client */
    readonly extra: { errors?: FieldProblem[]; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(detail ?? TITLES[code]);
    this.name = 'AppError';
  }

  get status(): number {
    return STATUS[this.code];
  }
}

export interface Problem {
  type: string;
  code: ErrorCode;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldProblem[];
  requestId?: string;
}

/** RFC 9457 problem details; `type` is a stable URI per code. */
export function toProblem(error: AppError, requestId?: string): Problem {
  return {
    type: `urn:kitbridge:problem:${error.code}`,
    code: error.code,
    title: TITLES[error.code],
    status: error.status,
    ...(error.detail ? { detail: error.detail } : {}),
    ...(error.extra.errors ? { errors: error.extra.errors } : {}),
    ...(requestId ? { requestId } : {}),
  };
}
