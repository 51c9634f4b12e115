#!/usr/bin/env node
/**
 * Packed-tarball smoke test: what npm users get, not what the workspace links.
 *
 * 1. `pnpm pack` every publishable package (packages/*, not private) into a temporary folder;
 *    pnpm rewrites `workspace:*` to real versions exactly as `changeset publish` does.
 * 2. A fresh project OUTSIDE the workspace installs the tarballs with npm (no workspace links, no
 *    hoisted devDependencies), plus express from the registry.
 * 3. It verifies a signed delivery through core (ESM and CJS, node:crypto and Web Crypto), through
 *    the Express adapter over real HTTP (ESM and CJS), runs the `hookguard` bin, and checks every
 *    other package: each `exports` target exists, and it loads unless a declared peer is missing.
 *
 * Catches: files missing from `files`, wrong `exports`/`types` paths, runtime dependencies that only
 * the workspace supplied. Packages that do not exist yet are skipped; core is required.
 * Run after the packages are built (`pnpm build`); any package without `dist` is built first.
 * Usage: node .ci/pack-smoke.mjs [--keep]   (--keep leaves the temporary project for inspection)
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const keep = process.argv.includes('--keep')
const started = Date.now()
const log = (message) => console.log(`pack-smoke: ${message}`)
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`

function run(command, args, options = {}) {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options })
}

function fail(message, error) {
  console.error(`pack-smoke: FAIL ${message}`)
  if (error?.stdout) console.error(String(error.stdout))
  if (error?.stderr) console.error(String(error.stderr))
  process.exit(1)
}

// 1. The publishable packages.
const packages = readdirSync(join(root, 'packages'))
  .map((dir) => join(root, 'packages', dir))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
  .filter(({ manifest }) => manifest.private !== true)
if (!packages.some(({ manifest }) => manifest.name === '@hookguard/core')) fail('packages/core is missing')
log(`packages: ${packages.map(({ manifest }) => manifest.name).join(', ')}`)

// Build what has no dist yet, dependencies first (pnpm directly: it needs no task graph).
const byName = new Map(packages.map((p) => [p.manifest.name, p]))
const ordered = []
const visit = (p) => {
  if (ordered.includes(p)) return
  for (const dep of Object.keys({ ...p.manifest.dependencies, ...p.manifest.devDependencies })) if (byName.has(dep)) visit(byName.get(dep))
  ordered.push(p)
}
for (const p of packages) visit(p)
for (const { dir, manifest } of ordered) {
  if (existsSync(join(dir, 'dist'))) continue
  log(`building ${manifest.name}`)
  try {
    run('pnpm', ['run', 'build'], { cwd: dir })
  } catch (error) {
    fail(`the build of ${manifest.name} failed`, error)
  }
}

// 2. Pack, then install into a project that has never seen the workspace.
const work = mkdtempSync(join(tmpdir(), 'hookguard-pack-smoke-'))
const tarballs = join(work, 'tarballs')
const app = join(work, 'app')
mkdirSync(tarballs)
mkdirSync(app)
const warnings = []
const packed = {}
for (const { dir, manifest } of packages) {
  let result
  try {
    result = JSON.parse(run('pnpm', ['pack', '--json', '--pack-destination', tarballs], { cwd: dir }))
  } catch (error) {
    fail(`pnpm pack failed for ${manifest.name}`, error)
  }
  const files = result.files.map((f) => f.path)
  if (!files.some((f) => f.startsWith('dist/'))) fail(`${manifest.name}: the tarball has no dist/ (files: ${files.join(', ')})`)
  if (!files.includes('README.md')) warnings.push(`${manifest.name}: no README.md in the tarball`)
  if (!files.some((f) => /^licen[cs]e/i.test(f))) warnings.push(`${manifest.name}: no LICENSE in the tarball`)
  const leaked = files.filter((f) => /^(src|test)\//.test(f))
  if (leaked.length > 0) warnings.push(`${manifest.name}: the tarball ships ${leaked.slice(0, 3).join(', ')}…`)
  packed[manifest.name] = `file:${result.filename}`
}
log(`packed ${packages.length} tarballs (${elapsed()})`)

const expressVersion =
  packages
    .find(({ manifest }) => manifest.name === '@hookguard/express')
    ?.manifest.devDependencies?.express?.replace(/^npm:express@/, '') ?? '5.1.0'
writeFileSync(
  join(app, 'package.json'),
  JSON.stringify(
    {
      name: 'hookguard-pack-smoke',
      private: true,
      type: 'module',
      dependencies: { ...packed, express: expressVersion },
      // Inter-package dependencies (`@hookguard/core: 0.0.0`) resolve to these tarballs, never the registry.
      overrides: packed,
    },
    null,
    2,
  ),
)
try {
  // Peers are not auto-installed (next, fastify… would take minutes): each package is checked
  // with what it declares, and a missing *declared* peer is reported as such, not as a failure.
  run('npm', ['install', '--no-audit', '--no-fund', '--legacy-peer-deps', '--prefer-offline', '--loglevel=error'], {
    cwd: app,
    env: { ...process.env, npm_config_workspaces: 'false' },
  })
} catch (error) {
  fail('npm install of the tarballs failed', error)
}
log(`npm installed the tarballs + express@${expressVersion} (${elapsed()})`)

// 3. The smoke scripts.
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const esm = `
import assert from 'node:assert/strict'
import { createWebhookHandler, createWebhookVerifier, sign, WebhookError } from '@hookguard/core'
import { webCrypto } from '@hookguard/core/crypto/web'
import { nodeCrypto } from '@hookguard/core/crypto/node'

const secret = ${JSON.stringify(SECRET)}
const body = JSON.stringify({ id: 'evt_1', type: 'invoice.paid', data: { amount: 4200 } })
const headers = await sign({ scheme: 'standard-webhooks', secret, body })
for (const crypto of [undefined, webCrypto, nodeCrypto]) {
  const delivery = await createWebhookVerifier({ scheme: 'standard-webhooks', secret, ...(crypto ? { crypto } : {}) }).verify({ headers, body })
  assert.equal(delivery.type, 'invoice.paid')
}
await assert.rejects(createWebhookVerifier({ scheme: 'standard-webhooks', secret }).verify({ headers, body: body.replace('4200', '1') }), (e) => WebhookError.is(e) && e.code === 'signature_mismatch')
console.log('core (ESM): signed delivery verified with node:crypto and Web Crypto; tampered body refused')

let adapter
try {
  adapter = await import('@hookguard/express')
} catch (error) {
  if (error.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes("'@hookguard/express'")) throw error
}
if (adapter) {
  const { default: express } = await import('express')
  const handled = []
  const hooks = createWebhookHandler({ scheme: 'standard-webhooks', secret })
  hooks.on('invoice.paid', (event) => { handled.push(event.id) })
  const app = express()
  app.all('/webhooks', adapter.webhookHandler(hooks))
  const server = app.listen(0, '127.0.0.1')
  await new Promise((r) => server.once('listening', r))
  const url = 'http://127.0.0.1:' + server.address().port + '/webhooks'
  const post = (h, b) => fetch(url, { method: 'POST', headers: h, body: b }).then(async (r) => [r.status, await r.json()])
  assert.deepEqual(await post(headers, body), [200, { ok: true }])
  assert.deepEqual(await post(headers, body), [200, { ok: true, duplicate: true }])
  const [status, answer] = await post(headers, body.replace('4200', '1'))
  assert.equal(status, 401)
  assert.equal(answer.error.code, 'signature_mismatch')
  assert.equal(handled.length, 1)
  server.closeAllConnections()
  server.close()
  console.log('express (ESM): verified over real HTTP; replay acknowledged; tampered body 401')
}
`
const cjs = `
const assert = require('node:assert/strict')
const { createWebhookHandler, createWebhookVerifier, sign } = require('@hookguard/core')

async function main() {
  const secret = ${JSON.stringify(SECRET)}
  const body = JSON.stringify({ id: 'evt_2', type: 'invoice.paid' })
  const headers = await sign({ scheme: 'stripe', secret, body })
  const delivery = await createWebhookVerifier({ scheme: 'stripe', secret }).verify({ headers, body })
  assert.equal(delivery.id, 'evt_2')
  console.log('core (CJS): signed delivery verified')
  let adapter
  try {
    adapter = require('@hookguard/express')
  } catch (error) {
    if (error.code !== 'MODULE_NOT_FOUND') throw error
  }
  if (!adapter) return
  const express = require('express')
  const hooks = createWebhookHandler({ scheme: 'stripe', secret })
  hooks.on('*', () => {})
  const app = express()
  app.all('/webhooks', adapter.webhookHandler(hooks))
  const server = app.listen(0, '127.0.0.1')
  await new Promise((r) => server.once('listening', r))
  const response = await fetch('http://127.0.0.1:' + server.address().port + '/webhooks', { method: 'POST', headers, body })
  assert.equal(response.status, 200)
  server.closeAllConnections()
  server.close()
  console.log('express (CJS): verified over real HTTP')
}
main().catch((error) => { console.error(error); process.exit(1) })
`
// Every other package: exports targets exist, and each entry loads unless a declared peer is missing.
const exportsCheck = `
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const names = JSON.parse(process.argv[2])
const require = createRequire(import.meta.url)
let failed = 0
const targets = (value, out = []) => {
  if (typeof value === 'string') out.push(value)
  else if (value && typeof value === 'object') for (const v of Object.values(value)) targets(v, out)
  return out
}
const missingName = (error) => /(?:Cannot find (?:package|module) ')((?:@[^/']+\\/)?[^/']+)/.exec(String(error?.message))?.[1]
for (const name of names) {
  const dir = dirname(require.resolve(name + '/package.json'))
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  const peers = Object.keys(manifest.peerDependencies ?? {})
  const files = [...targets(manifest.exports), ...Object.values(typeof manifest.bin === 'string' ? { b: manifest.bin } : manifest.bin ?? {})]
  const absent = files.filter((f) => !f.includes('*') && !existsSync(join(dir, f)))
  if (absent.length) { console.error(name + ': exports point at missing files: ' + absent.join(', ')); failed++; continue }
  const subpaths = Object.keys(manifest.exports ?? { '.': null }).filter((s) => s !== './package.json' && !s.includes('*'))
  const notes = []
  for (const sub of subpaths) {
    const specifier = sub === '.' ? name : name + sub.slice(1)
    for (const [kind, load] of [['ESM', () => import(specifier)], ['CJS', async () => require(specifier)]]) {
      try {
        await load()
      } catch (error) {
        const missing = missingName(error)
        if (missing && peers.includes(missing)) { notes.push(specifier + ' (' + kind + ') needs ' + missing); continue }
        if (kind === 'CJS' && error.code === 'ERR_REQUIRE_ESM') continue
        console.error(name + ': ' + kind + ' ' + specifier + ' failed to load: ' + error.message.split('\\n')[0]); failed++
      }
    }
  }
  console.log(name + ': ' + files.length + ' export targets present; ' + (notes.length ? 'loads, except where a peer is not installed: ' + notes.join(', ') : 'loads as ESM and CJS'))
}
process.exit(failed ? 1 : 0)
`
writeFileSync(join(app, 'smoke.mjs'), esm)
writeFileSync(join(app, 'smoke.cjs'), cjs)
writeFileSync(join(app, 'exports-check.mjs'), exportsCheck)

// Every check runs even after one fails, so one CI run shows everything that is broken.
const failures = []
function step(label, args) {
  try {
    const out = run(process.execPath, args, { cwd: app, timeout: 60_000 })
    for (const line of out.trim().split('\n')) if (line) log(`  ${line}`)
  } catch (error) {
    failures.push(label)
    console.error(`pack-smoke: FAIL ${label}`)
    if (error.stdout) console.error(String(error.stdout).trim())
    if (error.stderr) console.error(String(error.stderr).trim())
  }
}
step('the ESM smoke script failed', ['smoke.mjs'])
step('the CJS smoke script failed', ['smoke.cjs'])
step('an installed package is broken', ['exports-check.mjs', JSON.stringify(packages.map(({ manifest }) => manifest.name))])
if (packed['@hookguard/cli']) {
  // The bin exactly as `npx @hookguard/cli demo` runs it: its own dependencies only.
  try {
    const report = JSON.parse(run(join(app, 'node_modules', '.bin', 'hookguard'), ['demo', '--json'], { cwd: app, timeout: 60_000 }))
    if (report.ok) log(`  @hookguard/cli: hookguard demo answered all ${report.rows.length} scenarios as expected`)
    else {
      failures.push('hookguard demo')
      console.error(`pack-smoke: FAIL hookguard demo: unexpected answers ${JSON.stringify(report.rows.filter((r) => !r.asExpected))}`)
    }
  } catch (error) {
    failures.push('the installed hookguard bin')
    console.error(`pack-smoke: FAIL the installed hookguard bin failed\n${error.stderr ?? error}`)
  }
}

for (const warning of warnings) log(`warning: ${warning}`)
if (keep) log(`kept ${work}`)
else rmSync(work, { recursive: true, force: true })
if (failures.length > 0) {
  console.error(`pack-smoke: FAILED: ${failures.join('; ')} (${elapsed()})`)
  process.exit(1)
}
log(`ok (${elapsed()})`)
