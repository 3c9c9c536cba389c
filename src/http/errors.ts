import { z } from 'zod';

/** Every failure a client can see has a stable code; its HTTP status comes from this one table. */
const STATUS = {
  'invalid-encoding': 400,
  'invalid-json': 400,
  'invalid-payload': 400,
  'invalid-image': 400,
  'bad-request': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  'method-not-allowed': 405,
  'not-replayable': 409,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  'rate-limited': 429,
  internal: 500,
  // The shop's database refused the write for a cause that a retry does not cure (a missing column or
  // permission, a refused row): recorded as failed, replayable once the operator has fixed it.
  'catalog-refused': 500,
  'database-unavailable': 503,
  'catalog-unavailable': 503,
  'insufficient-storage': 507,
} as const;

export type ErrorCode = keyof typeof STATUS;

/** How long a client should wait before retrying, for failures that pass by themselves. */
const RETRY_AFTER_SECONDS: Partial<Record<ErrorCode, number>> = {
  'database-unavailable': 5,
  // The shop's database: a restart or failover of a server kitbridge does not run takes longer.
  'catalog-unavailable': 30,
};

const TITLES: Record<ErrorCode, string> = {
  'invalid-encoding': 'The body is not valid UTF-8',
  'invalid-json': 'The body is not valid JSON',
  'invalid-payload': 'The body is not a valid SingleItemCheckout',
  'invalid-image': 'MainImage is not an acceptable PNG',
  'bad-request': 'The request could not be read',
  unauthorized: 'A valid admin token is required',
  forbidden: 'This request is not allowed',
  'not-found': 'Not found',
  'method-not-allowed': 'Method not allowed',
  'not-replayable': 'This delivery cannot be replayed',
  'payload-too-large': 'The body is too large',
  'unsupported-media-type': 'The body must be application/json',
  'rate-limited': 'Too many requests',
  internal: 'Internal error',
  'catalog-refused': 'The shop catalog (nopCommerce) refused the write; the operator must fix the cause',
  'database-unavailable': 'The database is unavailable; retry later',
  'catalog-unavailable': 'The shop catalog (nopCommerce) could not be written; retry later',
  'insufficient-storage': 'The disk for kit images is nearly full; free space, then replay the delivery',
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

  /** the Retry-After of this answer, if any */
  get retryAfterSeconds(): number | undefined {
    return this.extra.retryAfterSeconds ?? RETRY_AFTER_SECONDS[this.code];
  }
}

/** The body of every error answer (application/problem+json); also published in /openapi.json. */
export const problemSchema = z.object({
  type: z.string(),
  code: z.enum(Object.keys(STATUS) as [ErrorCode, ...ErrorCode[]]),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  requestId: z.string().optional(),
});
export type Problem = z.infer<typeof problemSchema>;

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
