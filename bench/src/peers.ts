// The libraries users would pick instead, each called the way its README shows, on the same
// bytes (a Buffer, as an HTTP server hands it over) and the same headers.
import { verify as octokitVerify } from '@octokit/webhooks-methods'
import { Webhook as StandardWebhook } from 'standardwebhooks'
import Stripe from 'stripe'
import { Webhook as SvixWebhook } from 'svix'
import { type SchemeId, SECRETS } from './fixtures'
import type { Candidate } from './harness'

type Headers = Record<string, string>
export interface PeerInput {
  headers: Headers
  body: Buffer
}

const isTrue = (r: unknown) => {
  if (r !== true) throw new Error(`expected true, got ${String(r)}`)
}
const isObject = (r: unknown) => {
  if (typeof r !== 'object' || r === null) throw new Error('expected a parsed payload')
}

/** Verification only (no JSON.parse), one entry per peer of the scheme; `web` marks a Web Crypto path. */
export function verifyPeers(scheme: SchemeId, input: PeerInput): Array<Candidate & { web?: boolean }> {
  const { headers, body } = input
  if (scheme === 'standard-webhooks') {
    const sw = new StandardWebhook(SECRETS[scheme])
    const svix = new SvixWebhook(SECRETS[scheme])
    return [
      { name: 'standardwebhooks 1.3.0 verify (jsonParse: false)', kind: 'peer', fn: () => sw.verify(body, headers, { jsonParse: false }) },
      { name: 'svix 2.5.0 Webhook.verify', kind: 'peer', fn: () => svix.verify(body, headers) },
    ]
  }
  if (scheme === 'stripe') {
    const stripe = new Stripe('sk_test_bench')
    const subtle = Stripe.createSubtleCryptoProvider()
    const header = headers['stripe-signature'] as string
    const secret = SECRETS.stripe
    return [
      {
        name: 'stripe 23.2.0 webhooks.signature.verifyHeader',
        kind: 'peer',
        fn: () => stripe.webhooks.signature?.verifyHeader(body, header, secret, 300),
        check: isTrue,
      },
      {
        name: 'stripe 23.2.0 signature.verifyHeaderAsync (SubtleCryptoProvider)',
        kind: 'peer',
        web: true,
        fn: () => (stripe.webhooks.signature as any).verifyHeaderAsync(body, header, secret, 300, subtle),
        check: isTrue,
      },
    ]
  }
  const signature = headers['x-hub-signature-256'] as string
  const secret = SECRETS.github
  return [
    {
      name: '@octokit/webhooks-methods 6.0.0 verify',
      kind: 'peer',
      note: 'takes a string: includes body.toString()',
      fn: () => octokitVerify(secret, body.toString('utf8'), signature),
      check: isTrue,
    },
  ]
}

/** Verify + parse, the way each peer hands back the event (or verify + JSON.parse where it does not parse). */
export function parsePeers(scheme: SchemeId, input: PeerInput): Array<Candidate & { web?: boolean }> {
  const { headers, body } = input
  if (scheme === 'standard-webhooks') {
    const sw = new StandardWebhook(SECRETS[scheme])
    const svix = new SvixWebhook(SECRETS[scheme])
    return [
      { name: 'standardwebhooks 1.3.0 verify (parses)', kind: 'peer', fn: () => sw.verify(body, headers), check: isObject },
      {
        name: 'svix 2.5.0 Webhook.verify + JSON.parse',
        kind: 'peer',
        fn: () => {
          svix.verify(body, headers)
          return JSON.parse(body.toString('utf8'))
        },
        check: isObject,
      },
    ]
  }
  if (scheme === 'stripe') {
    const stripe = new Stripe('sk_test_bench')
    const subtle = Stripe.createSubtleCryptoProvider()
    const header = headers['stripe-signature'] as string
    const secret = SECRETS.stripe
    return [
      {
        name: 'stripe 23.2.0 webhooks.constructEvent',
        kind: 'peer',
        fn: () => stripe.webhooks.constructEvent(body, header, secret),
        check: isObject,
      },
      {
        name: 'stripe 23.2.0 constructEventAsync (SubtleCryptoProvider)',
        kind: 'peer',
        web: true,
        fn: () => stripe.webhooks.constructEventAsync(body, header, secret, undefined, subtle),
        check: isObject,
      },
    ]
  }
  const signature = headers['x-hub-signature-256'] as string
  const secret = SECRETS.github
  return [
    {
      name: '@octokit/webhooks-methods 6.0.0 verify + JSON.parse',
      kind: 'peer',
      fn: async () => {
        const text = body.toString('utf8')
        if (!(await octokitVerify(secret, text, signature))) throw new Error('octokit rejected')
        return JSON.parse(text)
      },
      check: isObject,
    },
  ]
}
