// Runs the conformance suite on every runtime against the built packages and returns a report.
import { execFile } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { EdgeRuntime } from 'edge-runtime'
import * as esbuild from 'esbuild'
import { Miniflare } from 'miniflare'
import { makeVectors } from './vectors.mjs'

const run = promisify(execFile)
const here = dirname(fileURLToPath(import.meta.url))
const bin = (name) => join(here, '..', 'node_modules', '.bin', name)

async function subprocess(label, command, args, version) {
  const { stdout } = await run(command, args, { cwd: join(here, '..'), maxBuffer: 10 << 20, timeout: 120_000 })
  const line = stdout.trim().split('\n').pop()
  return { ...JSON.parse(line), runtime: label, version }
}

async function bundle(vectors, conditions, format) {
  const result = await esbuild.build({
    entryPoints: [join(here, 'worker-entry.mjs')],
    bundle: true,
    write: false,
    format,
    platform: 'neutral',
    mainFields: ['module', 'main'],
    conditions,
    metafile: true,
    // Resolve like a user's bundler: the workspace's own tsconfig paths must not apply.
    tsconfigRaw: '{}',
    target: 'es2022',
    globalName: format === 'iife' ? 'conformance' : undefined,
    plugins: [
      {
        name: 'vectors',
        setup(build) {
          build.onResolve({ filter: /^virtual:vectors$/ }, () => ({ path: 'vectors', namespace: 'vectors' }))
          build.onLoad({ filter: /.*/, namespace: 'vectors' }, () => ({ contents: JSON.stringify(vectors), loader: 'json' }))
        },
      },
    ],
  })
  const code = result.outputFiles[0].text
  const inputs = Object.keys(result.metafile.inputs)
  const nodeImports = Object.values(result.metafile.inputs).flatMap((input) =>
    input.imports.filter((i) => i.path.startsWith('node:') || i.external).map((i) => i.path),
  )
  return { code, inputs, nodeImports }
}

/** Facts about a bundle an edge runtime loads: no node: module, no synchronous HMAC path. */
export function inspectBundle({ code, inputs, nodeImports }) {
  return {
    nodeImports,
    nodeCryptoBuild: inputs.filter((i) => /crypto[\\/]node\.(c?js|ts)$/.test(i)),
    mentionsCreateHmac: code.includes('createHmac'),
    bytes: code.length,
  }
}

async function workerd(vectors) {
  const built = await bundle(vectors, ['workerd', 'worker', 'browser'], 'esm')
  const script = `${built.code}\nexport default { fetch: () => respond() }\n`
  const mf = new Miniflare({ modules: true, script, compatibilityDate: '2025-01-01' })
  try {
    const res = await mf.dispatchFetch('http://localhost/')
    const body = await res.json()
    const version = (await import('miniflare/package.json', { with: { type: 'json' } })).default.version
    return { ...body, runtime: 'Cloudflare workerd (Miniflare)', version, bundle: inspectBundle(built) }
  } finally {
    await mf.dispose()
  }
}

async function edge(vectors) {
  const built = await bundle(vectors, ['edge-light', 'worker', 'browser'], 'iife')
  const initialCode = `${built.code}\naddEventListener('fetch', (event) => event.respondWith(conformance.respond()))\n`
  const runtime = new EdgeRuntime({ initialCode })
  const res = await runtime.dispatchFetch('http://localhost/')
  const body = await res.json()
  const version = (await import('edge-runtime/package.json', { with: { type: 'json' } })).default.version
  return { ...body, runtime: 'Vercel Edge (edge-runtime)', version, bundle: inspectBundle(built) }
}

export async function runMatrix() {
  const vectors = await makeVectors()
  const dir = mkdtempSync(join(tmpdir(), 'hookguard-matrix-'))
  const vectorsPath = join(dir, 'vectors.json')
  writeFileSync(vectorsPath, JSON.stringify(vectors))
  const bunVersion = (await run(bin('bun'), ['--version'])).stdout.trim()
  const denoVersion = (await run(bin('deno'), ['--version'])).stdout.split('\n')[0].split(' ')[1]
  const reports = []
  reports.push(await subprocess('Node (node:crypto)', process.execPath, ['src/run.mjs', vectorsPath], process.versions.node))
  reports.push(await subprocess('Node (Web Crypto)', process.execPath, ['src/run.mjs', vectorsPath, 'web'], process.versions.node))
  reports.push(await subprocess('Bun', bin('bun'), ['src/run.mjs', vectorsPath], bunVersion))
  reports.push(
    await subprocess('Deno', bin('deno'), ['run', '--allow-read', '--allow-env', '--allow-sys', 'src/run.mjs', vectorsPath], denoVersion),
  )
  reports.push(await workerd(vectors))
  reports.push(await edge(vectors))
  return reports
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const reports = await runMatrix()
  for (const r of reports) {
    const failed = r.results.filter((x) => !x.ok)
    console.log(
      `${r.runtime} ${r.version}: ${r.results.length - failed.length}/${r.results.length} passed${r.bundle ? ` (bundle: ${JSON.stringify(r.bundle)})` : ''}`,
    )
    for (const f of failed) console.log(`  FAIL ${f.name}: ${JSON.stringify(f.detail)}`)
  }
}
