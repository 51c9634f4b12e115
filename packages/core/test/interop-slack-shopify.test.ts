// Slack and Shopify ship no official verification library here, so hookguard is checked against
// HMACs computed with node:crypto exactly as each provider's docs describe, and against Slack's
// documented example. The `token` scheme is checked GitLab-style.
import { createHmac } from 'node:crypto'
import { createWebhookVerifier, sign, slack, token } from '@hookguard/core'
import { describe, expect, it } from 'vitest'
import { CRYPTOS, expectWebhookError } from './verify-cases'

// https://api.slack.com/authentication/verifying-requests-from-slack (the worked example).
const SLACK_DOCS = {
  secret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: '1531420618',
  body:
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar' +
    '&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com' +
    '%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
}

describe.each(CRYPTOS)('slack (%s crypto)', (_name, crypto) => {
  it("verifies Slack's documented example request, typed as a slash command", async () => {
    const verifier = createWebhookVerifier({ scheme: 'slack', secret: SLACK_DOCS.secret, crypto, now: () => 1531420618_000 })
    const delivery = await verifier.verify({
      headers: {
        'X-Slack-Request-Timestamp': SLACK_DOCS.timestamp,
        'X-Slack-Signature': SLACK_DOCS.signature,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: SLACK_DOCS.body,
    })
    expect(delivery).toMatchObject({ scheme: 'slack', timestamp: 1531420618, type: 'slash_command', id: undefined })
    expect(delivery.payload).toMatchObject({ command: '/webhook-collect', user_name: 'roadrunner' })
    const signed = await sign({ scheme: 'slack', secret: SLACK_DOCS.secret, body: SLACK_DOCS.body, timestamp: 1531420618, crypto })
    expect(signed['x-slack-signature']).toBe(SLACK_DOCS.signature)
  })

  it('verifies a hand-computed v0 HMAC over v0:timestamp:body, typed by the inner event', async () => {
    const secret = 'slack-signing-secret'
    const ts = 1_750_000_000
    const body = JSON.stringify({ type: 'event_callback', event: { type: 'app_mention', text: 'hi' } })
    const signature = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`
    const verifier = createWebhookVerifier({ scheme: slack(), secret, crypto, now: () => ts * 1000 })
    const headers = { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signature, 'content-type': 'application/json' }
    await expect(verifier.verify({ headers, body })).resolves.toMatchObject({ type: 'app_mention', timestamp: ts })
    await expectWebhookError(
      verifier.verify({ headers: { ...headers, 'x-slack-request-timestamp': String(ts + 1) }, body }),
      'signature_mismatch',
      [secret, signature.slice(3)],
    )
    // Slack's bolt only checks age; a request from 301 s in the future is refused here.
    const ahead = `v0=${createHmac('sha256', secret)
      .update(`v0:${ts + 301}:${body}`)
      .digest('hex')}`
    await expectWebhookError(
      verifier.verify({ headers: { ...headers, 'x-slack-request-timestamp': String(ts + 301), 'x-slack-signature': ahead }, body }),
      'timestamp_in_future',
    )
  })

  it('wraps an interactivity payload= form field as JSON', async () => {
    const secret = 'slack-signing-secret'
    const body = `payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', actions: [] }))}`
    const headers = await sign({
      scheme: 'slack',
      secret,
      body,
      crypto,
      timestamp: 1_750_000_000,
      contentType: 'application/x-www-form-urlencoded',
    })
    const verifier = createWebhookVerifier({ scheme: 'slack', secret, crypto, now: () => 1_750_000_000_000 })
    await expect(verifier.verify({ headers, body })).resolves.toMatchObject({ type: 'block_actions' })
  })
})

describe.each(CRYPTOS)('shopify (%s crypto)', (_name, crypto) => {
  const secret = 'shpss_4b5c9e8a0f1d2e3c'
  const body = JSON.stringify({ id: 820982911946154500, email: 'jon@example.com', note: 'ça va' })
  const expected = createHmac('sha256', secret).update(body, 'utf8').digest('base64')
  const verifier = createWebhookVerifier({ scheme: 'shopify', secret, crypto })

  it('verifies a hand-computed base64 HMAC-SHA256 of the body, with id and topic', async () => {
    const headers = {
      'X-Shopify-Hmac-Sha256': expected,
      'X-Shopify-Webhook-Id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
      'X-Shopify-Topic': 'orders/create',
      'X-Shopify-Shop-Domain': 'example.myshopify.com',
    }
    const delivery = await verifier.verify({ headers, body })
    expect(delivery).toMatchObject({ scheme: 'shopify', id: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043', type: 'orders/create' })
  })

  it('signs what Shopify would send', async () => {
    const headers = await sign({ scheme: 'shopify', secret, body, crypto, id: 'wh-1', type: 'orders/create' })
    expect(headers).toMatchObject({ 'x-shopify-hmac-sha256': expected, 'x-shopify-webhook-id': 'wh-1', 'x-shopify-topic': 'orders/create' })
  })

  it('refuses hex, unpadded and url-safe spellings of the signature as malformed', async () => {
    const hex = createHmac('sha256', secret).update(body).digest('hex')
    for (const spelling of [hex, expected.replace(/=+$/, ''), createHmac('sha256', secret).update(body).digest('base64url')]) {
      await expectWebhookError(verifier.verify({ headers: { 'x-shopify-hmac-sha256': spelling }, body }), 'malformed_header', [
        secret,
        expected,
      ])
    }
  })
})

describe.each(CRYPTOS)('token, GitLab style (%s crypto)', (_name, crypto) => {
  const gitlab = token({ header: 'X-Gitlab-Token', idHeader: 'X-Gitlab-Event-UUID', typeHeader: 'X-Gitlab-Event' })
  const body = JSON.stringify({ object_kind: 'push' })

  it('accepts the shared token (either secret during a rotation) and reads id and type', async () => {
    const verifier = createWebhookVerifier({ scheme: gitlab, secret: ['old-token', 'new-token'], crypto })
    for (const sent of ['old-token', 'new-token']) {
      const headers = { 'X-Gitlab-Token': sent, 'X-Gitlab-Event-UUID': 'uuid-1', 'X-Gitlab-Event': 'Push Hook' }
      await expect(verifier.verify({ headers, body })).resolves.toMatchObject({ scheme: 'token', id: 'uuid-1', type: 'Push Hook' })
    }
  })

  it('refuses another token, a prefix of it and a longer one, never echoing the secret', async () => {
    const verifier = createWebhookVerifier({ scheme: gitlab, secret: 'new-token', crypto })
    for (const sent of ['new-tokem', 'new-toke', 'new-token ', 'new-tokennew-token', 'NEW-TOKEN']) {
      await expectWebhookError(verifier.verify({ headers: { 'x-gitlab-token': sent }, body }), 'signature_mismatch', ['new-token'])
    }
  })

  it('signs by sending the token', async () => {
    const headers = await sign({ scheme: gitlab, secret: 'new-token', body, crypto, id: 'uuid-2', type: 'Push Hook' })
    expect(headers).toMatchObject({ 'x-gitlab-token': 'new-token', 'x-gitlab-event-uuid': 'uuid-2', 'x-gitlab-event': 'Push Hook' })
  })
})
