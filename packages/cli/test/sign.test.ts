import { execFile } from 'node:child_process'
import { createWebhookVerifier } from '@hookguard/core'
import { describe, expect, it } from 'vitest'
import { cli, receiver, tempDir } from './helpers'

const file = await tempDir()
const body = '{"id":"evt_42","type":"invoice.paid","data":{"amount":4200}}'
const bodyPath = await file('payload.json', body)
const SW_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'

describe('hookguard sign', () => {
  it.each([
    ['stripe', 'whsec_test_secret'],
    ['standard-webhooks', SW_SECRET],
    ['github', 'gh-secret'],
    ['slack', 'slack-signing-secret'],
    ['shopify', 'shpss_secret'],
  ] as const)('prints %s headers (--json) that core verifies, with the given id, timestamp and type', async (scheme, secret) => {
    const run = await cli([
      'sign',
      '--scheme',
      scheme,
      '--secret',
      secret,
      '--body',
      bodyPath,
      '--id',
      'msg_1',
      '--timestamp',
      '1750000000',
      '--type',
      'issues',
      '--json',
    ])
    expect(run.code, run.stderr).toBe(0)
    const headers = JSON.parse(run.stdout) as Record<string, string>
    const verifier = createWebhookVerifier({ scheme, secret, now: () => 1_750_000_010_000 })
    const delivery = await verifier.verify({ headers, body })
    expect(delivery.timestamp ?? 1_750_000_000).toBe(1_750_000_000)
    if (scheme === 'standard-webhooks') expect(headers['webhook-id']).toBe('msg_1')
    if (scheme === 'github') expect(headers['x-github-event']).toBe('issues')
    // The signature binds the body: one changed byte and core refuses it.
    await expect(verifier.verify({ headers, body: body.replace('4200', '4201') })).rejects.toMatchObject({ code: 'signature_mismatch' })
  })

  it('prints a curl line that delivers the signed body to a real receiver', async () => {
    const { url, handled } = await receiver({ scheme: 'standard-webhooks', secret: SW_SECRET })
    const run = await cli(['sign', '-s', 'standard-webhooks', '-k', SW_SECRET, '-b', bodyPath, '--url', url])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/^webhook-signature: v1,/m)
    const curlLine = run.stdout.split('\n').find((line) => line.startsWith('curl '))
    expect(curlLine).toBeDefined()
    const answer = await new Promise<string>((resolve, reject) =>
      execFile('sh', ['-c', `${curlLine} -s -w ' %{http_code}'`], (error, stdout) => (error ? reject(error) : resolve(stdout))),
    )
    expect(answer).toBe('{"ok":true} 200')
    expect(handled).toEqual([{ id: expect.any(String), type: 'invoice.paid', payload: JSON.parse(body) }])
  })

  it('reads the secret from HOOKGUARD_SECRET and the body from stdin', async () => {
    const run = await cli(['sign', '-s', 'stripe', '-b', '-', '--json', '--timestamp', '1750000000'], {
      env: { HOOKGUARD_SECRET: 'whsec_env' },
      input: body,
    })
    expect(run.code, run.stderr).toBe(0)
    const headers = JSON.parse(run.stdout)
    await expect(
      createWebhookVerifier({ scheme: 'stripe', secret: 'whsec_env', now: () => 1_750_000_000_000 }).verify({ headers, body }),
    ).resolves.toMatchObject({
      id: 'evt_42',
    })
  })

  it.each([
    ['an unknown scheme', ['sign', '-s', 'paypal', '-k', 'x', '-b', bodyPath], /argument 'paypal' is invalid/],
    ['no secret', ['sign', '-s', 'stripe', '-b', bodyPath], /--secret/],
    ['a missing body file', ['sign', '-s', 'stripe', '-k', 'x', '-b', '/nonexistent/p.json'], /cannot read the body file.*ENOENT/],
    ['a secret that is not base64', ['sign', '-s', 'standard-webhooks', '-k', 'whsec_!!!', '-b', bodyPath], /not base64/],
    ['a bad timestamp', ['sign', '-s', 'stripe', '-k', 'x', '-b', bodyPath, '--timestamp', 'soon'], /--timestamp/],
  ])('exits 2 with a clear message for %s', async (_name, args, message) => {
    const run = await cli(args)
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(message)
    expect(run.stdout).toBe('')
  })
})
