// GitHub interop with the published `@octokit/webhooks-methods`, both ways.
import { createHmac } from 'node:crypto'
import { createWebhookVerifier, sign } from '@hookguard/core'
import { sign as octokitSign, verify as octokitVerify } from '@octokit/webhooks-methods'
import { describe, expect, it } from 'vitest'
import { CRYPTOS, expectWebhookError } from './verify-cases'

// The example from GitHub's "Validating webhook deliveries" page.
const docsSecret = "It's a Secret to Everybody"
const docsBody = 'Hello, World!'
const docsSignature = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17'

const secret = 'gh-webhook-secret'
const body = JSON.stringify({ action: 'opened', issue: { number: 1, title: 'Ünïcode ✓' } })

describe.each(CRYPTOS)('github interop (%s crypto)', (_name, crypto) => {
  const verifier = createWebhookVerifier({ scheme: 'github', secret, crypto })

  it("matches GitHub's documented example", async () => {
    expect(`sha256=${createHmac('sha256', docsSecret).update(docsBody).digest('hex')}`).toBe(docsSignature)
    const docs = createWebhookVerifier({ scheme: 'github', secret: docsSecret, crypto })
    await expect(docs.verify({ headers: { 'X-Hub-Signature-256': docsSignature }, body: docsBody })).resolves.toMatchObject({
      scheme: 'github',
      timestamp: undefined,
    })
    const signed = await sign({ scheme: 'github', secret: docsSecret, body: docsBody, crypto })
    expect(signed['x-hub-signature-256']).toBe(docsSignature)
  })

  it('verifies what @octokit/webhooks-methods signs, with id and event type', async () => {
    const headers = {
      'x-hub-signature-256': await octokitSign(secret, body),
      'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      'x-github-event': 'issues',
    }
    const delivery = await verifier.verify({ headers, body })
    expect(delivery).toMatchObject({ id: '72d3162e-cc78-11e3-81ab-4c9367dc0958', type: 'issues.opened', timestamp: undefined })
  })

  it('rejects an octokit signature for another secret without leaking the expected one', async () => {
    const headers = { 'x-hub-signature-256': await octokitSign('another', body) }
    const expected = (await octokitSign(secret, body)).slice('sha256='.length)
    await expectWebhookError(verifier.verify({ headers, body }), 'signature_mismatch', [secret, expected])
  })

  it('@octokit/webhooks-methods verifies what hookguard signs', async () => {
    const headers = await sign({ scheme: 'github', secret, body, crypto, id: 'delivery-1', type: 'issues.opened' })
    expect(headers).toMatchObject({ 'x-github-delivery': 'delivery-1', 'x-github-event': 'issues' })
    expect(await octokitVerify(secret, body, headers['x-hub-signature-256'] ?? '')).toBe(true)
    expect(await octokitVerify('another', body, headers['x-hub-signature-256'] ?? '')).toBe(false)
  })

  it('is stricter than octokit about the encoding: upper-case hex is malformed', async () => {
    const signature = await octokitSign(secret, body)
    const upper = `sha256=${signature.slice(7).toUpperCase()}`
    await expectWebhookError(verifier.verify({ headers: { 'x-hub-signature-256': upper }, body }), 'malformed_header', [secret])
  })
})
