// 2. Verify + parse: hookguard's verify with `.payload` read vs the raw check + JSON.parse, and vs
// the peers that hand back a parsed event (or verify + JSON.parse where they do not parse).
import type { Candidate } from './harness'
import { parsePeers } from './peers'
import { runSchemeSizes } from './scheme-sizes'
import type { BenchContext, SectionResult } from './types'

export const HG_NODE_PARSE = 'hookguard verify + .payload (node:crypto)'
export const HG_WEB_PARSE = 'hookguard verify + .payload (Web Crypto)'
export const LIMIT_NODE_PARSE = 'limit: createHmac + timingSafeEqual + JSON.parse'
export const LIMIT_WEB_PARSE = 'limit: crypto.subtle.sign + compare + JSON.parse'

const isObject = (r: unknown) => {
  if (typeof r !== 'object' || r === null) throw new Error('expected a parsed payload')
}

export function run(ctx: BenchContext): Promise<SectionResult> {
  return runSchemeSizes(ctx, 'parse', 'verify + parse', ({ scheme, nodeVerifier, webVerifier, rawNode, rawWeb, headers, body, input }) => {
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
    return { candidates, baselines }
  })
}
