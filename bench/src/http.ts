// 4. HTTP: autocannon against real servers on 127.0.0.1, each framework with the hookguard adapter
// vs the same framework with a hand-written check (raw body + one HMAC compare). Every request
// carries a fresh id and signature (minted in the load generator), so hookguard's replay store
// claims and completes for real. The servers take turns in short runs, cycle after cycle, and each
// ratio is taken within a cycle, so a drifting machine load biases no side.
import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { keyBytes, makeBody, nextId, signStandardWebhooks } from './fixtures'
import type { Framework, Mode } from './http-server'
import type { BenchContext, SectionResult } from './types'

const FRAMEWORKS: Framework[] = ['node', 'express', 'fastify', 'koa']
const MODES: Mode[] = ['hand', 'hand-parse', 'hookguard']
const CYCLES = (ctx: BenchContext) => (ctx.smoke ? 1 : 3)
// The smoke test starts fewer servers: it proves each framework's pair still runs, nothing more.
const modesFor = (ctx: BenchContext): Mode[] => (ctx.smoke ? ['hand', 'hookguard'] : MODES)
const CONNECTIONS = 10
const BODY_BYTES = 4096
const OK = '{"ok":true}'

interface Started {
  child: ChildProcess
  port: number
}

function startServer(framework: Framework, mode: Mode): Promise<Started> {
  const file = fileURLToPath(new URL('./http-server.ts', import.meta.url))
  // `pnpm bench -- --profile` profiles the servers too (the flags this process was started with).
  const profile = process.execArgv.filter((a) => a.startsWith('--cpu-prof'))
  const child = fork(file, [framework, mode], { execArgv: ['--import', 'tsx', ...profile], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  return new Promise((resolve, reject) => {
    child.once('message', (m: { port?: number; error?: string }) => {
      if (m.port) resolve({ child, port: m.port })
      else {
        child.kill()
        reject(new Error(m.error ?? 'the server did not start'))
      }
    })
    child.once('exit', (code) => reject(new Error(`the ${framework} ${mode} server exited with ${code}`)))
  })
}

/** Disconnects, so the server exits on its own (and writes its CPU profile when profiling). */
function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    if (child.connected) child.disconnect()
    else child.kill()
  })
}

export interface HttpRun {
  framework: Framework
  mode: Mode
  cycle: number
  reqPerSec: number
  p99Ms: number
  p50Ms: number
  requests: number
}

async function load(port: number, seconds: number, amount?: number): Promise<Omit<HttpRun, 'framework' | 'mode' | 'cycle'>> {
  const key = keyBytes('standard-webhooks')
  const body = makeBody('standard-webhooks', BODY_BYTES)
  let unexpected = 0
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/webhook`,
    connections: CONNECTIONS,
    ...(amount ? { amount } : { duration: seconds }),
    method: 'POST',
    requests: [
      {
        method: 'POST',
        setupRequest: (req: any) => ({ ...req, headers: signStandardWebhooks(key, body, nextId()), body }),
        // A 200 that says `duplicate` (or anything else) would mean the bench measured the wrong path.
        onResponse: (_status: number, text: string) => {
          if (text !== OK) unexpected++
        },
      },
    ],
  } as autocannon.Options)
  const bad = result.non2xx + result.errors + result.timeouts + unexpected
  if (bad > 0 || result.requests.total === 0) {
    throw new Error(
      `port ${port}: ${result.requests.total} requests, ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts, ${unexpected} unexpected bodies`,
    )
  }
  return {
    reqPerSec: result.requests.total / result.duration,
    p99Ms: result.latency.p99,
    p50Ms: result.latency.p50,
    requests: result.requests.total,
  }
}

export async function run(ctx: BenchContext): Promise<SectionResult> {
  const seconds = ctx.smoke ? 1 : 1.5
  const runs: HttpRun[] = []
  const notes: string[] = []
  const modes = modesFor(ctx)
  for (const framework of FRAMEWORKS) {
    const servers: Partial<Record<Mode, Started>> = {}
    try {
      const started = await Promise.allSettled(modes.map((mode) => startServer(framework, mode)))
      started.forEach((s, i) => {
        if (s.status === 'fulfilled') servers[modes[i] as Mode] = s.value
      })
      for (const s of started) if (s.status === 'rejected') throw s.reason
      // Warm every server up (JIT, connection pools) before anything is recorded.
      if (!ctx.smoke) for (const mode of modes) await load((servers[mode] as Started).port, 1)
      // Cycles of one run per server, the order rotating each cycle; ratios are taken within a cycle.
      for (let cycle = 0; cycle < CYCLES(ctx); cycle++) {
        for (let i = 0; i < modes.length; i++) {
          const mode = modes[(i + cycle) % modes.length] as Mode
          runs.push({ framework, mode, cycle, ...(await load((servers[mode] as Started).port, seconds, ctx.smoke ? 200 : undefined)) })
        }
      }
    } catch (error) {
      notes.push(`${framework}: skipped — ${(error as Error).message}`)
    } finally {
      await Promise.all(Object.values(servers).map((s) => s && stop(s.child)))
    }
  }
  return { section: 'http', data: { http: { connections: CONNECTIONS, bodyBytes: BODY_BYTES, seconds, cycles: CYCLES(ctx), runs } }, notes }
}
