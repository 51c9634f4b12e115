// 2. Verify + parse: hookguard's verify with `.payload` read vs the raw check + JSON.parse, and vs
// the peers that hand back a parsed event (or verify + JSON.parse where they do not parse).
import { createWebhookVerifier } from '@hookguard/core'
import { webCrypto } from '@hookguard/core/crypto/web'
import { makeBody, type SchemeId, SECRETS, signedHeaders } from './fixtures'
import { type Candidate, compare } from './harness'
import { rawNodeCheck, rawSubtleCheck } from './limits'
import { parsePeers } from './peers'
import type { BenchContext, ComparisonGroup, SectionResult } from './types'

export const HG_NODE_PARSE = 'hookguard verify + .payload (node:crypto)'
export const HG_WEB_PARSE = 'hookguard verify + .payload (Web Crypto)'
export const LIMIT_NODE_PARSE = 'limit: createHmac + timingSafeEqual + JSON.parse'
export const LIMIT_WEB_PARSE = 'limit: crypto.subtle.sign + compare + JSON.parse'

const isObject = (r: unknown) => {
  if (typeof r !== 'object' || r === null) throw new Error('expected a parsed payload')
}

export async function run(ctx: BenchContext): Promise<SectionResult> {
  const groups: ComparisonGroup[] = []
  for (const scheme of (ctx.args.length ? ctx.args : ['standard-webhooks']) as SchemeId[]) groups.push(...(await runScheme(ctx, scheme)))
  return { section: 'parse', groups }
}

async function runScheme(ctx: BenchContext, scheme: SchemeId): Promise<ComparisonGroup[]> {
  const nodeVerifier = createWebhookVerifier({ scheme, secret: SECRETS[scheme] })
  const webVerifier = createWebhookVerifier({ scheme, secret: SECRETS[scheme], crypto: webCrypto })
  const rawNode = rawNodeCheck(scheme)
  const rawWeb = await rawSubtleCheck(scheme)
  const groups: ComparisonGroup[] = []
  for (const size of ctx.sizes) {
    const body = makeBody(scheme, size.bytes)
    const headers = await signedHeaders(scheme, body)
    const input = { headers, body }
    const peers = parsePeers(scheme, input)
    const candidates: Candidate[] = [
      {
        name: LIMIT_NODE_PARSE,
        kind: 'limit',
        fn: () => {
          if (!rawNode(headers, body)) throw new Error('mismatch')
          return JSON.parse(body.toString('utf8'))
        },
        check: isObject,
      },
      { name: HG_NODE_PARSE, kind: 'hookguard', fn: async () => (await nodeVerifier.verify(input)).payload, check: isObject },
      {
        name: LIMIT_WEB_PARSE,
        kind: 'limit',
        fn: async () => {
          if (!(await rawWeb(headers, body))) throw new Error('mismatch')
          return JSON.parse(body.toString('utf8'))
        },
        check: isObject,
      },
      { name: HG_WEB_PARSE, kind: 'hookguard', fn: async () => (await webVerifier.verify(input)).payload, check: isObject },
      ...peers,
    ]
    const baselines: Record<string, string> = { [HG_NODE_PARSE]: LIMIT_NODE_PARSE, [HG_WEB_PARSE]: LIMIT_WEB_PARSE }
    for (const peer of peers) baselines[peer.name] = peer.web ? LIMIT_WEB_PARSE : LIMIT_NODE_PARSE
    groups.push({
      title: `verify + parse ${scheme} ${size.label}`,
      scheme,
      size: size.label,
      baselines,
      results: await compare(candidates, ctx, baselines),
    })
  }
  return groups
}
