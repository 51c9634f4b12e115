// 6. Memory: heap bytes per memoryStore entry at 100k and 1M entries, and the peak RSS of a server
// with maxBodyBytes 1 MiB while several clients stream 50 MB chunked bodies at it (next to a naive
// server that buffers the whole body first). Each figure comes from its own child process.
import { type ChildProcess, fork } from 'node:child_process'
import { request } from 'node:http'
import { fileURLToPath } from 'node:url'
import { runChild } from './spawn'
import type { BenchContext, SectionResult } from './types'

const MB = 1_000_000

interface StoreFigure {
  entries: number
  heapBytes: number
  bytesPerEntry: number
}

interface UploadFigure {
  server: 'hookguard' | 'naive'
  uploads: number
  uploadBytes: number
  baselineRssBytes: number
  maxRssBytes: number
  statuses: Record<string, number>
  bytesSentPerUpload: number[]
}

/** Streams `total` bytes chunked (no Content-Length) until the server answers or hangs up. */
function upload(port: number, total: number): Promise<{ status?: number; sent: number }> {
  return new Promise((resolve) => {
    const chunk = Buffer.alloc(64 * 1024, 0x20)
    let sent = 0
    let finished = false
    const finish = (status?: number) => {
      if (finished) return
      finished = true
      resolve({ ...(status === undefined ? {} : { status }), sent })
    }
    const req = request({ host: '127.0.0.1', port, path: '/webhook', method: 'POST', headers: { 'content-type': 'application/json' } })
    req.on('response', (res) => {
      res.resume()
      finish(res.statusCode)
      req.destroy()
    })
    req.on('error', () => finish())
    const pump = () => {
      while (!finished && sent < total) {
        sent += chunk.length
        if (!req.write(chunk)) {
          req.once('drain', pump)
          return
        }
      }
      if (!finished) req.end()
    }
    pump()
  })
}

async function uploadFigure(server: 'hookguard' | 'naive', uploads: number, uploadBytes: number): Promise<UploadFigure> {
  const file = fileURLToPath(new URL('./upload-server.ts', import.meta.url))
  const child: ChildProcess = fork(file, [server], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  try {
    const started = await new Promise<{ port: number; baselineRssBytes: number }>((resolve, reject) => {
      child.once('message', resolve as never)
      child.once('exit', (code) => reject(new Error(`upload server exited with ${code}`)))
    })
    const results = await Promise.all(Array.from({ length: uploads }, () => upload(started.port, uploadBytes)))
    const report = await new Promise<{ maxRssBytes: number; statuses: Record<string, number> }>((resolve) => {
      child.once('message', resolve as never)
      child.send('report')
    })
    return {
      server,
      uploads,
      uploadBytes,
      baselineRssBytes: started.baselineRssBytes,
      maxRssBytes: report.maxRssBytes,
      statuses: report.statuses,
      bytesSentPerUpload: results.map((r) => r.sent),
    }
  } finally {
    child.kill()
  }
}

export async function run(ctx: BenchContext): Promise<SectionResult> {
  const file = './memory-store-child.ts'
  const store: StoreFigure[] = []
  for (const entries of ctx.smoke ? [10_000] : [100_000, 1_000_000]) {
    store.push(await runChild<StoreFigure>(file, [String(entries)], { execArgv: ['--max-old-space-size=2048'] }))
  }
  const uploads = 4
  const uploadBytes = ctx.smoke ? 5 * MB : 50 * MB
  const hookguard = await uploadFigure('hookguard', uploads, uploadBytes)
  const expected = String(413)
  if (hookguard.statuses[expected] !== uploads) throw new Error(`expected ${uploads}× 413, got ${JSON.stringify(hookguard.statuses)}`)
  const naive = await uploadFigure('naive', uploads, uploadBytes)
  return { section: 'memory', data: { store, uploads: [hookguard, naive] } }
}
