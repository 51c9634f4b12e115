import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** Runs `file` (TypeScript, through tsx) in a child process and resolves the first IPC message it sends. */
export function runChild<T>(file: string, args: string[], options: { execArgv?: string[]; timeoutMs?: number } = {}): Promise<T> {
  const path = fileURLToPath(new URL(file, import.meta.url))
  return new Promise((resolve, reject) => {
    const child = fork(path, args, {
      execArgv: ['--import', 'tsx', '--expose-gc', ...(options.execArgv ?? [])],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    let message: T | undefined
    let received = false
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${file} ${args[0] ?? ''} timed out after ${options.timeoutMs} ms`))
    }, options.timeoutMs ?? 600_000)
    child.on('message', (m) => {
      message = m as T
      received = true
    })
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      if (received) resolve(message as T)
      else reject(new Error(`${file} ${args[0] ?? ''} exited with ${signal ?? code} before reporting`))
    })
  })
}

/** The profiling flags to pass to children when `--profile` is given. */
export function profileArgs(dir: string): string[] {
  return ['--cpu-prof', `--cpu-prof-dir=${dir}`]
}
