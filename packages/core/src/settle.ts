import type { SettleOutcome } from './handler'

/**
 * The part of Node's `ServerResponse` that {@link settleOnFinish} relies on. Structural, so core
 * imports nothing from `node:` and stays runtime-neutral.
 */
export interface NodeResponseLike {
  once(event: 'finish' | 'close', listener: () => void): unknown
  /** True once the whole response was handed to the socket. */
  readonly writableFinished?: boolean
  readonly statusCode: number
}

/**
 * Settles a middleware-style claim from the Node response it guards, for adapters: the status sent
 * on `'finish'` (2xx completes the claim, anything else releases it); a `'close'` without
 * `'finish'` means the sender never saw an answer and will retry, so the claim is released.
 * `settle` is `receipt.settle` from `hooks.receive()`; only its first call counts.
 * @example settleOnFinish(res, receipt.settle)
 */
export function settleOnFinish(res: NodeResponseLike, settle: (outcome: SettleOutcome) => unknown): void {
  res.once('finish', () => void settle(res.statusCode))
  res.once('close', () => {
    if (!res.writableFinished) void settle(new Error('@hookguard/core: the connection closed before the response was sent'))
  })
}
