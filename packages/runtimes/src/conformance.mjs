// The conformance suite every runtime runs against the BUILT packages, resolved the runtime's own
// way (export conditions). Runtime-neutral: Web APIs only, no node: imports.
import { createWebhookHandler, createWebhookVerifier, hmac, sign, WebhookError } from '@hookguard/core'
import { verifyWebhook, webhookHandler } from '@hookguard/hono'
import { Hono } from 'hono'

const enc = new TextEncoder()

async function codeOf(promise) {
  try {
    await promise
    return 'ok'
  } catch (error) {
    if (WebhookError.is(error)) return error.code
    return `threw:${error?.name}:${error?.message}`
  }
}

const custom = () =>
  hmac({
    name: 'im',
    signatureHeader: 'x-callback-signature',
    idHeader: 'x-callback-id',
    timestampHeader: 'x-callback-timestamp',
    template: '${id}.${timestamp}.${body}',
  })

const SCHEMES = [
  ['standard-webhooks', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
  ['stripe', 'whsec_test_secret'],
  ['github', 'gh-secret'],
  ['slack', 'slack-signing-secret'],
  ['shopify', 'shpss_secret'],
  ['token', 'gitlab-token'],
  ['custom-hmac', 'im-api-secret'],
]
const schemeOf = (name) => (name === 'custom-hmac' ? custom() : name)

/**
 * Runs every case; returns `{ results: [{ name, ok, detail }] }`. `crypto` is optional: Node runs
 * the suite twice, once per implementation; every other runtime uses what its conditions select.
 */
export async function runConformance({ vectors, crypto } = {}) {
  const results = []
  const check = (name, ok, detail) => results.push({ name, ok: Boolean(ok), detail: ok ? undefined : detail })
  const withCrypto = (options) => (crypto ? { ...options, crypto } : options)

  // 1. Interop vectors signed in Node by the official libraries (standardwebhooks, stripe, octokit).
  for (const vector of vectors ?? []) {
    const verifier = createWebhookVerifier(withCrypto({ scheme: vector.scheme, secret: vector.secret, now: () => vector.now }))
    let got
    try {
      const delivery = await verifier.verify({ headers: vector.headers, body: vector.body })
      got = { code: 'ok', id: delivery.id, type: delivery.type }
    } catch (error) {
      got = { code: WebhookError.is(error) ? error.code : `threw:${error?.message}` }
    }
    const ok = got.code === vector.expect.code && (got.code !== 'ok' || (got.id === vector.expect.id && got.type === vector.expect.type))
    check(`vector ${vector.name}`, ok, { expected: vector.expect, got })
  }

  // 2. sign() round trip and tampering, every scheme.
  const now = Math.floor(Date.now() / 1000)
  const body = JSON.stringify({ id: 'evt_1', type: 'invoice.paid', action: 'opened', object_kind: 'push' })
  for (const [name, secret] of SCHEMES) {
    const scheme = schemeOf(name)
    const headers = await sign(withCrypto({ scheme, secret, body, type: 'issues', id: 'msg_1', timestamp: now }))
    const verifier = createWebhookVerifier(withCrypto({ scheme, secret }))
    check(`${name}: sign() output verifies`, (await codeOf(verifier.verify({ headers, body }))) === 'ok', headers)
    if (name !== 'token') {
      const tampered = await codeOf(verifier.verify({ headers, body: body.replace('paid', 'void') }))
      check(`${name}: tampered body is signature_mismatch`, tampered === 'signature_mismatch', tampered)
    }
    const otherSecret = name === 'standard-webhooks' ? 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' : `${secret}x`
    const wrong = await codeOf(createWebhookVerifier(withCrypto({ scheme, secret: otherSecret })).verify({ headers, body }))
    check(`${name}: wrong secret is signature_mismatch`, wrong === 'signature_mismatch', wrong)
  }

  // 3. Bad input: exact codes, never a crash.
  {
    const secret = SCHEMES[0][1]
    const verifier = createWebhookVerifier(withCrypto({ scheme: 'standard-webhooks', secret }))
    const good = await sign(withCrypto({ scheme: 'standard-webhooks', secret, body, timestamp: now }))
    const cases = [
      ['missing signature', { ...good, 'webhook-signature': undefined }, body, 'missing_header'],
      ['empty id', { ...good, 'webhook-id': '' }, body, 'missing_header'],
      ['timestamp with letters', { ...good, 'webhook-timestamp': `${now}abc` }, body, 'malformed_header'],
      ['negative timestamp', { ...good, 'webhook-timestamp': '-5' }, body, 'malformed_header'],
      ['fractional timestamp', { ...good, 'webhook-timestamp': `${now}.5` }, body, 'malformed_header'],
      ['huge timestamp', { ...good, 'webhook-timestamp': '9'.repeat(40) }, body, 'malformed_header'],
      [
        'stale timestamp',
        await sign(withCrypto({ scheme: 'standard-webhooks', secret, body, timestamp: now - 330 })),
        body,
        'timestamp_expired',
      ],
      [
        'future timestamp',
        await sign(withCrypto({ scheme: 'standard-webhooks', secret, body, timestamp: now + 330 })),
        body,
        'timestamp_in_future',
      ],
      ['garbage signature', { ...good, 'webhook-signature': 'v1,not base64!' }, body, 'malformed_header'],
      ['duplicated header', { ...good, 'webhook-id': ['a', 'b'] }, body, 'malformed_header'],
      ['empty body', good, '', 'signature_mismatch'],
      ['invalid UTF-8 body', good, new Uint8Array([0xff, 0xfe, 0xfd]), 'signature_mismatch'],
    ]
    for (const [label, headers, payload, expected] of cases) {
      const clean = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined))
      const got = await codeOf(verifier.verify({ headers: clean, body: payload }))
      check(`bad input: ${label} → ${expected}`, got === expected, got)
    }
    const parsed = await codeOf(verifier.verify({ headers: good, body: JSON.parse(body) }))
    check('bad input: a parsed object body → raw_body_unavailable', parsed === 'raw_body_unavailable', parsed)
  }

  // 4. The pipeline through hooks.fetch: valid, tampered, duplicate, failing then retry, oversized.
  {
    const secret = 'whsec_test_secret'
    let runs = 0
    let failNext = true
    const hooks = createWebhookHandler(withCrypto({ scheme: 'stripe', secret, maxBodyBytes: 4096 }))
    hooks.on('invoice.*', () => {
      runs++
    })
    hooks.on('charge.failed', () => {
      if (failNext) {
        failNext = false
        throw new Error('database down')
      }
      runs++
    })
    const post = async (payload, headers) =>
      hooks.fetch(new Request('http://runtime.test/webhooks', { method: 'POST', headers, body: payload }))
    const ok = JSON.stringify({ id: 'evt_ok', type: 'invoice.paid' })
    const okHeaders = await sign(withCrypto({ scheme: 'stripe', secret, body: ok }))
    const first = await post(ok, okHeaders)
    check('pipeline: valid → 200', first.status === 200 && runs === 1, { status: first.status, runs })
    const again = await post(ok, okHeaders)
    const againBody = await again.json()
    check('pipeline: duplicate → 200 duplicate, handler not re-run', again.status === 200 && againBody.duplicate === true && runs === 1, {
      status: again.status,
      againBody,
      runs,
    })
    const tampered = await post(ok.replace('paid', 'void'), okHeaders)
    check(
      'pipeline: tampered → 401',
      tampered.status === 401 && (await tampered.json()).error.code === 'signature_mismatch',
      tampered.status,
    )
    const flaky = JSON.stringify({ id: 'evt_flaky', type: 'charge.failed' })
    const flakyHeaders = await sign(withCrypto({ scheme: 'stripe', secret, body: flaky }))
    const failed = await post(flaky, flakyHeaders)
    const retried = await post(flaky, flakyHeaders)
    check('pipeline: failing handler → 500, then the retry → 200', failed.status === 500 && retried.status === 200 && runs === 2, {
      failed: failed.status,
      retried: retried.status,
      runs,
    })
    const big = JSON.stringify({ id: 'evt_big', type: 'invoice.paid', pad: 'x'.repeat(10_000) })
    const bigHeaders = await sign(withCrypto({ scheme: 'stripe', secret, body: big }))
    const oversized = await post(big, bigHeaders)
    check('pipeline: oversized → 413', oversized.status === 413, oversized.status)
    const stream = new ReadableStream({
      pull(controller) {
        controller.enqueue(enc.encode('x'.repeat(1024)))
      },
    })
    const streamed = await hooks.fetch(
      new Request('http://runtime.test/webhooks', { method: 'POST', headers: bigHeaders, body: stream, duplex: 'half' }),
    )
    check('pipeline: endless stream → 413', streamed.status === 413, streamed.status)
  }

  // 5. @hookguard/hono, both styles, through app.request().
  {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
    const seen = []
    const hooks = createWebhookHandler(withCrypto({ scheme: 'standard-webhooks', secret }))
    hooks.on('*', (event) => {
      seen.push(event.type)
    })
    const app = new Hono()
    app.post('/endpoint', webhookHandler(hooks))
    const mw = createWebhookHandler(withCrypto({ scheme: 'standard-webhooks', secret }))
    app.post('/middleware', verifyWebhook(mw), (c) => {
      const event = c.get('webhook')
      return c.json({ type: event.type }, event.payload.fail ? 500 : 200)
    })
    const payload = JSON.stringify({ type: 'user.created' })
    const headers = await sign(withCrypto({ scheme: 'standard-webhooks', secret, body: payload }))
    const res = await app.request('/endpoint', { method: 'POST', headers, body: payload })
    check('hono endpoint: valid → 200 and routed', res.status === 200 && seen[0] === 'user.created', { status: res.status, seen })
    const dup = await app.request('/endpoint', { method: 'POST', headers, body: payload })
    check('hono endpoint: duplicate acknowledged', dup.status === 200 && (await dup.json()).duplicate === true && seen.length === 1, seen)
    const mres = await app.request('/middleware', { method: 'POST', headers, body: payload })
    check(
      'hono middleware: typed event on c.get("webhook")',
      mres.status === 200 && (await mres.json()).type === 'user.created',
      mres.status,
    )
    const failing = JSON.stringify({ type: 'user.deleted', fail: true })
    const failingHeaders = await sign(withCrypto({ scheme: 'standard-webhooks', secret, body: failing }))
    const f1 = await app.request('/middleware', { method: 'POST', headers: failingHeaders, body: failing })
    const f2 = await app.request('/middleware', { method: 'POST', headers: failingHeaders, body: failing })
    check('hono middleware: a 500 releases the claim so the retry runs again', f1.status === 500 && f2.status === 500, [
      f1.status,
      f2.status,
    ])
    const bad = await app.request('/middleware', { method: 'POST', headers, body: `${payload} ` })
    check('hono middleware: tampered → 401', bad.status === 401, bad.status)
  }

  return { results }
}
