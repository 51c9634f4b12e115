// 1. Verification only: hookguard (node:crypto and Web Crypto) vs the raw limit and the peers,
// one scheme per process so no scheme's code makes another's call sites polymorphic.
import { createWebhookVerifier } from '@hookguard/core'
import { webCrypto } from '@hookguard/core/crypto/web'
import { makeBody, type SchemeId, SECRETS, signedHeaders } from './fixtures'
import { type Candidate, compare } from './harness'
import { rawNodeCheck, rawSubtleCheck } from './limits'
import { verifyPeers } from './peers'
import type { BenchContext, ComparisonGroup, SectionResult } from './types'

export const HG_NODE = 'hookguard verify (node:crypto)'
export const HG_WEB = 'hookguard verify (Web Crypto)'
export const LIMIT_NODE = 'limit: createHmac + timingSafeEqual'
export const LIMIT_WEB = 'limit: crypto.subtle.sign + compare'

const mustBeTrue = (r: unknown) => {
  if (r !== true) throw new Error('the raw check did not match')
}
const delivered = (r: unknown) => {
  if (!r || typeof r !== 'object' || !('rawBody' in r)) throw new Error('expected a verified delivery')
}

export async function run(ctx: BenchContext): Promise<SectionResult> {
  const groups: ComparisonGroup[] = []
  for (const scheme of (ctx.args.length ? ctx.args : ['standard-webhooks']) as SchemeId[]) groups.push(...(await runScheme(ctx, scheme)))
  return { section: 'verify', groups }
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
    const peers = verifyPeers(scheme, input)
    const candidates: Candidate[] = [
      { name: LIMIT_NODE, kind: 'limit', fn: () => rawNode(headers, body), check: mustBeTrue },
      { name: HG_NODE, kind: 'hookguard', fn: () => nodeVerifier.verify(input), check: delivered },
      { name: LIMIT_WEB, kind: 'limit', fn: () => rawWeb(headers, body), check: mustBeTrue },
      { name: HG_WEB, kind: 'hookguard', fn: () => webVerifier.verify(input), check: delivered },
      ...peers,
    ]
    const baselines: Record<string, string> = { [HG_NODE]: LIMIT_NODE, [HG_WEB]: LIMIT_WEB }
    for (const peer of peers) baselines[peer.name] = peer.web ? LIMIT_WEB : LIMIT_NODE
    groups.push({
      title: `verify ${scheme} ${size.label}`,
      scheme,
      size: size.label,
      baselines,
      results: await compare(candidates, ctx, baselines),
    })
  }
  return groups
}
