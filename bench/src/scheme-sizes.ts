// The loop the verify and verify+parse sections share: for each scheme the context asks for, one
// verifier per crypto implementation and the raw limits; for each body size, a signed delivery and
// one comparison group whose candidates the section supplies.
import { createWebhookVerifier, type WebhookVerifier } from '@hookguard/core'
import { webCrypto } from '@hookguard/core/crypto/web'
import { makeBody, type SchemeId, SECRETS, signedHeaders } from './fixtures'
import { type Candidate, compare } from './harness'
import { rawNodeCheck, rawSubtleCheck } from './limits'
import type { BenchContext, ComparisonGroup, SectionResult } from './types'

export interface SignedCase {
  scheme: SchemeId
  nodeVerifier: WebhookVerifier
  webVerifier: WebhookVerifier
  rawNode: ReturnType<typeof rawNodeCheck>
  rawWeb: Awaited<ReturnType<typeof rawSubtleCheck>>
  body: Buffer
  headers: Record<string, string>
  input: { headers: Record<string, string>; body: Buffer }
}

/** What a section compares for one signed case: its candidates and which baseline each is read against. */
export interface CaseComparison {
  candidates: Candidate[]
  baselines: Record<string, string>
}

export async function runSchemeSizes(
  ctx: BenchContext,
  section: string,
  titlePrefix: string,
  build: (signed: SignedCase) => CaseComparison,
): Promise<SectionResult> {
  const groups: ComparisonGroup[] = []
  for (const scheme of (ctx.args.length ? ctx.args : ['standard-webhooks']) as SchemeId[]) {
    const nodeVerifier = createWebhookVerifier({ scheme, secret: SECRETS[scheme] })
    const webVerifier = createWebhookVerifier({ scheme, secret: SECRETS[scheme], crypto: webCrypto })
    const rawNode = rawNodeCheck(scheme)
    const rawWeb = await rawSubtleCheck(scheme)
    for (const size of ctx.sizes) {
      const body = makeBody(scheme, size.bytes)
      const headers = await signedHeaders(scheme, body)
      const { candidates, baselines } = build({
        scheme,
        nodeVerifier,
        webVerifier,
        rawNode,
        rawWeb,
        body,
        headers,
        input: { headers, body },
      })
      groups.push({
        title: `${titlePrefix} ${scheme} ${size.label}`,
        scheme,
        size: size.label,
        baselines,
        results: await compare(candidates, ctx, baselines),
      })
    }
  }
  return { section, groups }
}
