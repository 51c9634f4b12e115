// 1. Verification only: hookguard (node:crypto and Web Crypto) vs the raw limit and the peers,
// one scheme per process so no scheme's code makes another's call sites polymorphic.
import type { Candidate } from './harness'
import { verifyPeers } from './peers'
import { runSchemeSizes } from './scheme-sizes'
import type { BenchContext, SectionResult } from './types'

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

export function run(ctx: BenchContext): Promise<SectionResult> {
  return runSchemeSizes(ctx, 'verify', 'verify', ({ scheme, nodeVerifier, webVerifier, rawNode, rawWeb, headers, body, input }) => {
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
    return { candidates, baselines }
  })
}
