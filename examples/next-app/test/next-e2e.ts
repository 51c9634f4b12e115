import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, sep } from 'node:path'
import { sign } from '@hookguard/core'
import { BODY_PARSER_CONFIG } from '@hookguard/next'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/**
 * The end-to-end proof for @hookguard/next, shared by the Next.js 16 and Next.js 15 example apps: one real
 * `next build`, one `next start` on a free port, real signed requests with fetch, and a look at the Edge bundle.
 */
export function describeNextApp(label: string, appDir: string): void {
  const secrets = {
    STRIPE_WEBHOOK_SECRET: `whsec_${randomBytes(24).toString('hex')}`,
    GITHUB_WEBHOOK_SECRET: randomBytes(20).toString('hex'),
    STANDARD_WEBHOOK_SECRET: `whsec_${randomBytes(24).toString('base64')}`,
  }
  // Random secrets per run, passed to both build and start: they override the example's public .env values.
  const env: NodeJS.ProcessEnv = { ...process.env, ...secrets, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' }
  const nextBin = createRequire(join(appDir, 'package.json')).resolve('next/dist/bin/next')
  let server: ChildProcess | undefined
  let base = ''

  describe(label, () => {
    beforeAll(async () => {
      await run(nextBin, ['build'], appDir, env)
      const started = await start(nextBin, appDir, env)
      server = started.child
      base = started.url
    })

    afterAll(async () => {
      if (!server || server.exitCode !== null) return
      const exited = new Promise((resolve) => server?.once('exit', resolve))
      server.kill('SIGTERM')
      await exited
    })

    const post = (path: string, body: string, headers: Record<string, string>) => fetch(`${base}${path}`, { method: 'POST', body, headers })
    const seen = async (path: string, id: string) => {
      const all = (await (await fetch(`${base}${path}`)).json()) as Array<{ route: string; id: string; type: string; detail: unknown }>
      return all.filter((sighting) => sighting.id === id)
    }

    interface RouteCase {
      route: string
      path: string
      seenPath: string
      scheme: 'stripe' | 'github' | 'standard-webhooks'
      secret: string
      type: string
      /** A body for a new delivery id, and the payload field the handler is expected to have read. */
      delivery(id: string, padding?: string): { body: string; detail: unknown }
      signsTimestamp: boolean
      okBody?: unknown
    }

    const routes: RouteCase[] = [
      {
        route: 'app/stripe (nodejs)',
        path: '/api/stripe',
        seenPath: '/api/seen',
        scheme: 'stripe',
        secret: secrets.STRIPE_WEBHOOK_SECRET,
        type: 'invoice.paid',
        delivery: (id, padding = '') => ({
          body: JSON.stringify({ id, type: 'invoice.paid', data: { object: { id: 'in_1', amount_paid: 4200, currency: 'eur', padding } } }),
          detail: 4200,
        }),
        signsTimestamp: true,
        okBody: { ok: true },
      },
      {
        route: 'app/edge (edge)',
        path: '/api/edge',
        seenPath: '/api/edge',
        scheme: 'standard-webhooks',
        secret: secrets.STANDARD_WEBHOOK_SECRET,
        type: 'user.created',
        delivery: (_id, padding = '') => ({
          body: JSON.stringify({
            type: 'user.created',
            timestamp: new Date().toISOString(),
            data: { id: 'user_7', email: 'ada@example.com', padding },
          }),
          detail: 'ada@example.com',
        }),
        signsTimestamp: true,
        okBody: { welcomed: 'user_7' },
      },
      {
        route: 'pages/github (nodejs)',
        path: '/api/github',
        seenPath: '/api/seen',
        scheme: 'github',
        secret: secrets.GITHUB_WEBHOOK_SECRET,
        type: 'issues.opened',
        delivery: (_id, padding = '') => ({
          body: JSON.stringify({ action: 'opened', issue: { number: 1, title: 'It works', padding }, repository: { full_name: 'a/b' } }),
          detail: 'It works',
        }),
        // GitHub signs no timestamp: there is nothing to expire, replays are stopped by the delivery id alone.
        signsTimestamp: false,
        okBody: { ok: true },
      },
    ]

    describe.each(routes)('$route', (c) => {
      const signed = async (id: string, options: { timestamp?: number; padding?: string } = {}) => {
        const { body, detail } = c.delivery(id, options.padding)
        const headers = await sign({ scheme: c.scheme, secret: c.secret, body, id, type: c.type, timestamp: options.timestamp })
        return { body, headers, detail }
      }

      it('answers 200 to a valid delivery and the handler sees its typed payload, once; a duplicate is acknowledged without re-running it', async () => {
        const id = `evt_${randomUUID()}`
        const { body, headers, detail } = await signed(id)
        const first = await post(c.path, body, headers)
        expect(first.status).toBe(200)
        expect(await first.json()).toEqual(c.okBody)
        expect(await seen(c.seenPath, id)).toEqual([{ route: c.route, id, type: c.type, detail }])

        const again = await post(c.path, body, headers)
        expect(again.status).toBe(200)
        expect(await again.json()).toEqual({ ok: true, duplicate: true })
        expect(await seen(c.seenPath, id)).toHaveLength(1)
      })

      it('answers 401 signature_mismatch to a tampered body and never runs the handler', async () => {
        const id = `evt_${randomUUID()}`
        const { body, headers } = await signed(id)
        const tampered = body.replace(/"padding":""/, '"padding":"x"')
        expect(tampered).not.toBe(body)
        const response = await post(c.path, tampered, headers)
        expect(response.status).toBe(401)
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe('signature_mismatch')
        expect(await seen(c.seenPath, id)).toEqual([])
      })

      if (c.signsTimestamp)
        it('answers 401 timestamp_expired to a delivery signed an hour ago', async () => {
          const id = `evt_${randomUUID()}`
          const { body, headers } = await signed(id, { timestamp: Math.floor(Date.now() / 1000) - 3600 })
          const response = await post(c.path, body, headers)
          expect(response.status).toBe(401)
          expect(((await response.json()) as { error: { code: string } }).error.code).toBe('timestamp_expired')
          expect(await seen(c.seenPath, id)).toEqual([])
        })

      it('answers 413 body_too_large past maxBodyBytes (64 KiB in the example)', async () => {
        const id = `evt_${randomUUID()}`
        const { body, headers } = await signed(id, { padding: 'x'.repeat(100 * 1024) })
        const response = await post(c.path, body, headers)
        expect(response.status).toBe(413)
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe('body_too_large')
        expect(await seen(c.seenPath, id)).toEqual([])
      })
    })

    it('a Pages route with the body parser left on answers 500 raw_body_unavailable naming the config line', async () => {
      const id = `evt_${randomUUID()}`
      const body = JSON.stringify({ action: 'opened', issue: { number: 2, title: 'Parsed' }, repository: { full_name: 'a/b' } })
      const headers = await sign({ scheme: 'github', secret: secrets.GITHUB_WEBHOOK_SECRET, body, id, type: 'issues.opened' })
      const response = await post('/api/github-parsed', body, headers)
      expect(response.status).toBe(500)
      const { error } = (await response.json()) as { error: { code: string; message: string } }
      expect(error.code).toBe('raw_body_unavailable')
      expect(error.message).toContain(BODY_PARSER_CONFIG)
      expect(BODY_PARSER_CONFIG).toBe('export const config = { api: { bodyParser: false } }')
      expect(await seen('/api/seen', id)).toEqual([])
    })

    it("bundles core's Web Crypto build, and no node:crypto, into the Edge route", () => {
      const serverDir = join(appDir, '.next', 'server')
      const manifest = JSON.parse(readFileSync(join(serverDir, 'middleware-manifest.json'), 'utf8')) as {
        functions: Record<string, { files: string[] }>
      }
      const edge = manifest.functions['/api/edge/route']
      expect(edge, 'the Edge route is listed in middleware-manifest.json').toBeDefined()
      const files = (edge?.files ?? []).filter((file) => file.endsWith('.js'))
      const source = files.map((file) => readFileSync(join(appDir, '.next', file), 'utf8')).join('\n')
      // A string from core's dist/crypto/web.js: the `#crypto` import resolved to the web build.
      expect(source).toContain('@hookguard/core: this runtime has no Web Crypto')
      expect(source).toContain('@hookguard/next:')
      expect(source).not.toMatch(/node:crypto|require\(\s*["']crypto["']\s*\)|from\s*["']crypto["']/)
      // Names only core's node build uses; a stray import would bring them along.
      expect(source).not.toMatch(/createSecretKey|timingSafeEqual/)
      // The contrast that keeps this check honest: the Node.js routes, built from the same sources, do get node:crypto.
      const edgeFiles = new Set(files.map((file) => join(appDir, '.next', file)))
      const nodeBundles = (readdirSync(serverDir, { recursive: true }) as string[])
        .map((file) => join(serverDir, file))
        .filter((file) => file.endsWith('.js') && !edgeFiles.has(file) && !file.includes(`${sep}edge${sep}`))
      expect(nodeBundles.some((file) => readFileSync(file, 'utf8').includes('createSecretKey'))).toBe(true)
    })
  })
}

function run(bin: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`next ${args.join(' ')} exited with ${code}:\n${output}`))))
  })
}

/** `next start` on port 0; the port the OS picked is read from Next's "Local:" line. */
function start(bin: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'start', '--hostname', '127.0.0.1', '--port', '0'], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    let url: string | undefined
    // Keep draining both pipes for the server's whole life: a full pipe would block Next's logging.
    const onData = (chunk: Buffer) => {
      if (output.length < 100_000) output += chunk
      url ??= /http:\/\/127\.0\.0\.1:(?!0\b)\d+/.exec(output)?.[0]
      if (url && /Ready/.test(output)) resolve({ child, url })
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.on('error', reject)
    child.on('exit', (code) => reject(new Error(`next start exited with ${code} before it was ready:\n${output}`)))
  })
}
