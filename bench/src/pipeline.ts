// 3. The handler pipeline end to end through handle(): read, verify, parse, claim, route, complete,
// answer, with the in-memory store. Every call gets a fresh id (signed outside the timed region),
// so the store claims and completes for real instead of answering "duplicate".
import { createWebhookHandler, createWebhookVerifier, memoryStore } from '@hookguard/core'
import { keyBytes, makeBody, nextId, SECRETS, signStandardWebhooks } from './fixtures'
import { type Candidate, compare } from './harness'
import { rawNodeCheck } from './limits'
import type { BenchContext, ComparisonGroup, SectionResult } from './types'

export const BARE_VERIFY = 'hookguard verify (bare)'
export const VERIFY_PARSE = 'hookguard verify + .payload'
export const HANDLE_MEMORY = 'hookguard handle() + memoryStore'
export const HANDLE_NO_REPLAY = 'hookguard handle(), replay: false'
export const LIMIT = 'limit: createHmac + timingSafeEqual'
export const STORE_ONLY = 'memoryStore claim + complete alone'

const scheme = 'standard-webhooks'

export async function run(ctx: BenchContext): Promise<SectionResult> {
  const secret = SECRETS[scheme]
  const key = keyBytes(scheme)
  const verifier = createWebhookVerifier({ scheme, secret })
  const withStore = createWebhookHandler({ scheme, secret, replay: memoryStore() })
  const withoutStore = createWebhookHandler({ scheme, secret, replay: false })
  let handled = 0
  for (const hooks of [withStore, withoutStore]) hooks.on('invoice.paid', () => void handled++)
  const raw = rawNodeCheck(scheme)
  const lone = memoryStore()
  const sizes = ctx.smoke ? ctx.sizes : ctx.sizes.filter((s) => s.bytes <= 65_536)
  const groups: ComparisonGroup[] = []
  for (const size of sizes) {
    const body = makeBody(scheme, size.bytes)
    const fresh = () => ({ method: 'POST', headers: signStandardWebhooks(key, body, nextId()), body })
    const ok = (r: unknown) => {
      const result = r as { status: number; body: string }
      if (result.status !== 200 || result.body !== '{"ok":true}') throw new Error(`handle() answered ${result.status} ${result.body}`)
    }
    const before = handled
    const candidates: Candidate[] = [
      { name: LIMIT, kind: 'limit', arg: fresh, fn: (req) => raw(req.headers, req.body) },
      { name: BARE_VERIFY, kind: 'hookguard', arg: fresh, fn: (req) => verifier.verify(req) },
      { name: VERIFY_PARSE, kind: 'hookguard', arg: fresh, fn: async (req) => (await verifier.verify(req)).payload },
      { name: HANDLE_MEMORY, kind: 'hookguard', arg: fresh, fn: (req) => withStore.handle(req), check: ok },
      { name: HANDLE_NO_REPLAY, kind: 'hookguard', arg: fresh, fn: (req) => withoutStore.handle(req), check: ok },
      {
        name: STORE_ONLY,
        kind: 'hookguard',
        arg: () => [`${scheme}:${nextId()}`, nextId()],
        fn: ([key, token]: [string, string]) => {
          if (lone.claim(key, 60_000, token) !== 'claimed') throw new Error('claim failed')
          lone.complete(key, 660_000, token)
        },
      },
    ]
    const results = await compare(candidates, ctx, {
      [BARE_VERIFY]: LIMIT,
      [VERIFY_PARSE]: BARE_VERIFY,
      [HANDLE_MEMORY]: [BARE_VERIFY, VERIFY_PARSE],
      [HANDLE_NO_REPLAY]: [BARE_VERIFY, VERIFY_PARSE],
    })
    if (handled === before) throw new Error('the pipeline never reached the handler')
    groups.push({
      title: `pipeline ${scheme} ${size.label}`,
      scheme,
      size: size.label,
      baselines: { [HANDLE_MEMORY]: BARE_VERIFY, [HANDLE_NO_REPLAY]: BARE_VERIFY, [VERIFY_PARSE]: BARE_VERIFY, [BARE_VERIFY]: LIMIT },
      results,
    })
  }
  return { section: 'pipeline', groups }
}
