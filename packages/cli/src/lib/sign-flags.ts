import { type SchemeName, sign } from '@hookguard/core'

/** The signing flags `sign` and `send` share. */
export interface SignFlags {
  scheme: SchemeName
  secret: string
  id?: string
  timestamp?: number
  type?: string
}

/** Signs `body` the way the flags say; unset flags keep `sign()`'s defaults (random id, now). */
export function signWithFlags(flags: SignFlags, body: Uint8Array): Promise<Record<string, string>> {
  return sign({
    scheme: flags.scheme,
    secret: flags.secret,
    body,
    ...(flags.id === undefined ? {} : { id: flags.id }),
    ...(flags.timestamp === undefined ? {} : { timestamp: flags.timestamp }),
    ...(flags.type === undefined ? {} : { type: flags.type }),
  })
}
