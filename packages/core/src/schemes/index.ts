import { github } from './github'
import { shopify } from './shopify'
import { slack } from './slack'
import { standardWebhooks } from './standard-webhooks'
import { stripe } from './stripe'
import { token } from './token'
import type { WebhookScheme } from './types'

/** The built-in schemes by name. */
export type SchemeName = 'standard-webhooks' | 'stripe' | 'github' | 'slack' | 'shopify' | 'token'

const FACTORIES: Record<SchemeName, () => WebhookScheme> = {
  'standard-webhooks': standardWebhooks,
  stripe,
  github,
  slack,
  shopify,
  token,
}

/** Every built-in scheme name. */
export const SCHEME_NAMES: readonly SchemeName[] = Object.keys(FACTORIES) as SchemeName[]

/** A scheme object from a name or an object (a factory result such as `stripe({ toleranceSeconds: 60 })`). */
export function resolveScheme(scheme: SchemeName | WebhookScheme): WebhookScheme {
  if (typeof scheme === 'string') {
    const factory = FACTORIES[scheme]
    if (!factory) {
      throw new TypeError(`@hookguard/core: unknown scheme "${scheme}"; use one of ${SCHEME_NAMES.join(', ')} or hmac({...})`)
    }
    return factory()
  }
  if (!scheme || typeof scheme.read !== 'function' || typeof scheme.content !== 'function' || typeof scheme.decodeSecret !== 'function') {
    throw new TypeError('@hookguard/core: scheme must be a scheme name or an object from a scheme factory such as hmac({...})')
  }
  return scheme
}
