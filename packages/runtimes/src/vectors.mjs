// Interop vectors signed by the providers' official libraries (and, for Slack and Shopify, by
// node:crypto following their docs). Generated in Node, then verified on every runtime.
import { createHmac } from 'node:crypto'
import { sign as octokitSign } from '@octokit/webhooks-methods'
import { Webhook } from 'standardwebhooks'
import Stripe from 'stripe'

export async function makeVectors() {
  const now = 1_750_000_000
  const nowMs = now * 1000
  const vectors = []
  const add = (v) => vectors.push({ now: nowMs, ...v })

  // Standard Webhooks via the reference library.
  const swSecret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
  const swBody = JSON.stringify({ type: 'user.created', data: { id: 'u_1', name: 'Zoë' } })
  const swSig = new Webhook(swSecret).sign('msg_2Lh9KRb0pzN4LePd3XiA4v12Axj', new Date(nowMs), swBody)
  const swHeaders = { 'webhook-id': 'msg_2Lh9KRb0pzN4LePd3XiA4v12Axj', 'webhook-timestamp': String(now), 'webhook-signature': swSig }
  add({
    name: 'standardwebhooks lib',
    scheme: 'standard-webhooks',
    secret: swSecret,
    headers: swHeaders,
    body: swBody,
    expect: { code: 'ok', id: 'msg_2Lh9KRb0pzN4LePd3XiA4v12Axj', type: 'user.created' },
  })
  add({
    name: 'standardwebhooks lib, svix-* headers',
    scheme: 'standard-webhooks',
    secret: swSecret,
    headers: { 'svix-id': swHeaders['webhook-id'], 'svix-timestamp': String(now), 'svix-signature': swSig },
    body: swBody,
    expect: { code: 'ok', id: swHeaders['webhook-id'], type: 'user.created' },
  })
  add({
    name: 'standardwebhooks lib, tampered',
    scheme: 'standard-webhooks',
    secret: swSecret,
    headers: swHeaders,
    body: swBody.replace('Zoë', 'Zoe'),
    expect: { code: 'signature_mismatch' },
  })
  add({
    name: 'standardwebhooks lib, 301 s later',
    scheme: 'standard-webhooks',
    secret: swSecret,
    headers: swHeaders,
    body: swBody,
    now: nowMs + 301_000,
    expect: { code: 'timestamp_expired' },
  })

  // Stripe via stripe-node's test header generator.
  const stripe = new Stripe('sk_test_x')
  const stSecret = 'whsec_test_secret'
  const stBody = JSON.stringify({ id: 'evt_1', object: 'event', type: 'invoice.paid' }, null, 2)
  const stHeader = stripe.webhooks.generateTestHeaderString({ payload: stBody, secret: stSecret, timestamp: now })
  add({
    name: 'stripe-node',
    scheme: 'stripe',
    secret: stSecret,
    headers: { 'Stripe-Signature': stHeader },
    body: stBody,
    expect: { code: 'ok', id: 'evt_1', type: 'invoice.paid' },
  })
  add({
    name: 'stripe-node, rotated secrets',
    scheme: 'stripe',
    secret: ['whsec_old', stSecret],
    headers: { 'Stripe-Signature': stHeader },
    body: stBody,
    expect: { code: 'ok', id: 'evt_1', type: 'invoice.paid' },
  })
  add({
    name: 'stripe-node, re-serialised body',
    scheme: 'stripe',
    secret: stSecret,
    headers: { 'Stripe-Signature': stHeader },
    body: JSON.stringify(JSON.parse(stBody)),
    expect: { code: 'signature_mismatch' },
  })
  add({
    name: 'stripe-node, t=abc',
    scheme: 'stripe',
    secret: stSecret,
    headers: { 'Stripe-Signature': stHeader.replace(/t=\d+/, 't=abc') },
    body: stBody,
    expect: { code: 'malformed_header' },
  })

  // GitHub via @octokit/webhooks-methods.
  const ghSecret = "It's a Secret to Everybody"
  const ghBody = JSON.stringify({ action: 'opened', issue: { number: 1 } })
  const ghSig = await octokitSign(ghSecret, ghBody)
  const ghHeaders = {
    'X-Hub-Signature-256': ghSig,
    'X-GitHub-Delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
    'X-GitHub-Event': 'issues',
  }
  add({
    name: 'octokit',
    scheme: 'github',
    secret: ghSecret,
    headers: ghHeaders,
    body: ghBody,
    expect: { code: 'ok', id: ghHeaders['X-GitHub-Delivery'], type: 'issues.opened' },
  })
  add({
    name: "GitHub's documented example",
    scheme: 'github',
    secret: ghSecret,
    headers: {
      'X-Hub-Signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
      'X-GitHub-Delivery': 'd1',
      'X-GitHub-Event': 'ping',
    },
    body: 'Hello, World!',
    expect: { code: 'ok', id: 'd1', type: 'ping' },
  })
  add({
    name: 'octokit, upper-case hex',
    scheme: 'github',
    secret: ghSecret,
    headers: { ...ghHeaders, 'X-Hub-Signature-256': ghSig.toUpperCase().replace('SHA256=', 'sha256=') },
    body: ghBody,
    expect: { code: 'malformed_header' },
  })

  // Slack: v0 basestring per Slack's docs.
  const slSecret = '8f742231b10e8888abcd99yyyzzz85a5'
  const slBody = 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&command=%2Fweather&text=94070'
  const slSig = `v0=${createHmac('sha256', slSecret).update(`v0:${now}:${slBody}`).digest('hex')}`
  add({
    name: 'slack slash command',
    scheme: 'slack',
    secret: slSecret,
    headers: { 'X-Slack-Signature': slSig, 'X-Slack-Request-Timestamp': String(now), 'content-type': 'application/x-www-form-urlencoded' },
    body: slBody,
    expect: { code: 'ok', type: 'slash_command' },
  })

  // Shopify: base64 HMAC of the body.
  const shSecret = 'shpss_secret'
  const shBody = JSON.stringify({ id: 820982911946154500, email: 'jon@example.com' })
  const shSig = createHmac('sha256', shSecret).update(shBody).digest('base64')
  add({
    name: 'shopify',
    scheme: 'shopify',
    secret: shSecret,
    headers: { 'X-Shopify-Hmac-Sha256': shSig, 'X-Shopify-Webhook-Id': 'b54557e4', 'X-Shopify-Topic': 'orders/create' },
    body: shBody,
    expect: { code: 'ok', id: 'b54557e4', type: 'orders/create' },
  })
  return vectors
}
