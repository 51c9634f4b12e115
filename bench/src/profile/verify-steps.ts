// Where one verify() call's time goes: each step of the node:crypto path timed alone, interleaved
// with the whole call and the raw limit in one process.
// `node --import tsx --expose-gc src/profile/verify-steps.ts [standard-webhooks|stripe|github] [bytes]`
import { createHmac, timingSafeEqual } from 'node:crypto'
import { createWebhookVerifier, github, headerGetter, standardWebhooks, stripe } from '@hookguard/core'
import { nodeCrypto } from '@hookguard/core/crypto/node'
import { keyBytes, makeBody, type SchemeId, SECRETS, signedHeaders } from '../fixtures'
import { type Candidate, compare } from '../harness'
import { rawNodeCheck } from '../limits'

const schemeName = (process.argv[2] ?? 'standard-webhooks') as SchemeId
const size = Number(process.argv[3] ?? 256)
const scheme = schemeName === 'stripe' ? stripe() : schemeName === 'github' ? github() : standardWebhooks()
const body = makeBody(schemeName, size)
const headers = await signedHeaders(schemeName, body)
const key = keyBytes(schemeName)
const keyObject = nodeCrypto.importHmacKey('sha256', key)
const parts = scheme.read(headerGetter(headers))
const content = scheme.content(parts, body)
const verifier = createWebhookVerifier({ scheme: schemeName, secret: SECRETS[schemeName] })
const raw = rawNodeCheck(schemeName)
const signature = parts.signatures[0] as Uint8Array
const mac = nodeCrypto.hmac('sha256', keyObject, content) as Uint8Array
const steps: Candidate[] = [
  { name: 'verify() (awaited)', kind: 'hookguard', fn: () => verifier.verify({ headers, body }) },
  { name: 'raw limit', kind: 'limit', fn: () => raw(headers, body) },
  { name: 'headerGetter + scheme.read', kind: 'hookguard', fn: () => scheme.read(headerGetter(headers)) },
  { name: 'scheme.content', kind: 'hookguard', fn: () => scheme.content(parts, body) },
  { name: 'nodeCrypto.hmac (KeyObject)', kind: 'hookguard', fn: () => nodeCrypto.hmac('sha256', keyObject, content) },
  {
    name: 'createHmac (Buffer key), same parts',
    kind: 'limit',
    fn: () => {
      const h = createHmac('sha256', key)
      for (const p of content) h.update(p)
      return h.digest()
    },
  },
  { name: 'nodeCrypto.equal', kind: 'hookguard', fn: () => nodeCrypto.equal(mac, signature) },
  { name: 'timingSafeEqual', kind: 'limit', fn: () => timingSafeEqual(mac, signature) },
  {
    name: 'an awaited async call',
    kind: 'limit',
    fn: async () => {
      await (async () => 1)()
    },
  },
]
for (const r of await compare(steps, { rounds: 10, minCpuMs: 25 }))
  console.log(r.name.padEnd(38), `${r.medianNs.toFixed(0)} ns`.padStart(10))
