/**
 * What the `hookguard` process exits with. Scripts can rely on these.
 * - `0` success: signed, delivered with a 2xx, verified, demo as expected
 * - `1` failure: the signature did not verify, a request failed or was refused, a load run saw
 *   failures or re-processed duplicates, a demo scenario did not behave as expected
 * - `2` usage error: an unknown or missing option, an unreadable file, a malformed secret or headers file
 */
export const EXIT_CODES = { ok: 0, failed: 1, usage: 2 } as const

/** Bad input from the person at the keyboard: printed without a stack, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}
