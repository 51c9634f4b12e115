/**
 * Every way a delivery can be refused, and the HTTP status an adapter answers with.
 * The set is closed on purpose: adapters, dashboards and tests match on `code`, never on message text.
 */
export const WEBHOOK_ERROR_STATUS = {
  missing_header: 400,
  malformed_header: 400,
  request_aborted: 400,
  signature_mismatch: 401,
  timestamp_expired: 401,
  timestamp_in_future: 401,
  method_not_allowed: 405,
  duplicate: 409,
  in_flight: 409,
  body_too_large: 413,
  unsupported_media_type: 415,
  invalid_payload: 422,
  raw_body_unavailable: 500,
  handler_failed: 500,
  internal_error: 500,
  unhandled_event: 501,
  store_unavailable: 503,
} as const satisfies Record<string, number>

/** The closed union of error codes. */
export type WebhookErrorCode = keyof typeof WEBHOOK_ERROR_STATUS

const BRAND = Symbol.for('hookguard.WebhookError')

/** Options for {@link WebhookError}. */
export interface WebhookErrorOptions {
  /** Diagnostic details for logs and the observer. Never sent in an HTTP body. */
  details?: Record<string, unknown>
  /** The underlying error, if any. */
  cause?: unknown
}

/**
 * The one error class of hookguard. `code` is stable, `status` is the HTTP status to answer with,
 * `message` is safe to show to the sender (it never contains a secret or an expected signature),
 * `details` are for your logs only.
 */
export class WebhookError extends Error {
  override readonly name = 'WebhookError'
  readonly code: WebhookErrorCode
  readonly status: number
  readonly details: Record<string, unknown> | undefined
  readonly [BRAND] = true

  constructor(code: WebhookErrorCode, message: string, options: WebhookErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.status = WEBHOOK_ERROR_STATUS[code]
    this.details = options.details
  }

  /**
   * True for any hookguard `WebhookError`, even one thrown by another installed copy of the package
   * (where `instanceof` would say no).
   */
  static is(value: unknown): value is WebhookError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
  }

  /** The JSON an HTTP response carries: code and message, nothing else. */
  toJSON(): { code: WebhookErrorCode; message: string } {
    return { code: this.code, message: this.message }
  }
}

/** The HTTP status for a code. */
export function statusForCode(code: WebhookErrorCode): number {
  return WEBHOOK_ERROR_STATUS[code]
}
