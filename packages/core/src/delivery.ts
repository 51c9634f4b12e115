import { parsePayload } from './events/parse'
import type { SignedParts, WebhookScheme } from './schemes/types'

/** A delivery whose signature (and timestamp, where signed) verified. */
export interface WebhookDelivery<TPayload = unknown> {
  /** The scheme's name, e.g. `stripe`. */
  readonly scheme: string
  /** The delivery id (header, or Stripe's event id), when the provider sends one. */
  readonly id: string | undefined
  /** The signed Unix timestamp in seconds, when the scheme signs one. */
  readonly timestamp: number | undefined
  /** The event type, e.g. `invoice.paid`, `issues.opened`, `orders/create`. */
  readonly type: string | undefined
  /**
   * The parsed body. Parsed on first access (verification alone never pays for JSON.parse);
   * throws `WebhookError('invalid_payload')` when the verified body does not parse.
   */
  readonly payload: TPayload
  /** The exact bytes that were verified. */
  readonly rawBody: Uint8Array
}

const UNSET: unique symbol = Symbol('unset')

export class Delivery<TPayload = unknown> implements WebhookDelivery<TPayload> {
  readonly scheme: string
  readonly timestamp: number | undefined
  readonly rawBody: Uint8Array
  /** @internal */ readonly parts: SignedParts
  #schemeObject: WebhookScheme
  #contentType: string | undefined
  #payload: unknown = UNSET

  constructor(scheme: WebhookScheme, parts: SignedParts, rawBody: Uint8Array, contentType: string | undefined) {
    this.scheme = scheme.name
    this.#schemeObject = scheme
    this.parts = parts
    this.timestamp = parts.timestamp
    this.rawBody = rawBody
    this.#contentType = contentType
  }

  get payload(): TPayload {
    if (this.#payload === UNSET) this.#payload = parsePayload(this.rawBody, this.#contentType)
    return this.#payload as TPayload
  }

  get id(): string | undefined {
    if (this.parts.id !== undefined) return this.parts.id
    return this.#schemeObject.payloadId ? this.#schemeObject.payloadId(this.payload) : undefined
  }

  get type(): string | undefined {
    if (!this.#schemeObject.eventType) return this.parts.type
    // Header-typed schemes (GitHub adds the payload's action) still read the payload lazily.
    return this.#schemeObject.eventType(this.parts, this.payload)
  }

  toJSON(): Record<string, unknown> {
    return { scheme: this.scheme, id: this.id, timestamp: this.timestamp, type: this.type, payload: this.payload }
  }
}
