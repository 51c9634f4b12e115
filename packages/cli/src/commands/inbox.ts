import type { InboxStore, StoredDelivery } from '@hookguard/inbox'
import { Command, Option } from 'commander'
import { EXIT_CODES, UsageError } from '../lib/errors'
import { pc, printJson, table } from '../lib/output'

// @hookguard/inbox and its drivers are optional: loaded only when an inbox command runs, so
// `hookguard sign|send|verify|demo` work without them. A variable specifier keeps bundlers from
// pulling the package (and a native driver) into the CLI's build.
const INBOX_PACKAGE = '@hookguard/inbox'

interface DbFlags {
  db: string
  table?: string
  json?: boolean
}

function dbOption(): Option {
  return new Option('--db <url>', 'the inbox store: sqlite:path/to/inbox.db or postgres://user@host/db[?schema=name]')
    .env('HOOKGUARD_INBOX_DB')
    .makeOptionMandatory()
}

function tableOption(): Option {
  return new Option('--table <name>', 'the inbox table (default hookguard_inbox)')
}

const missing = (error: unknown) => ['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND'].includes((error as NodeJS.ErrnoException)?.code ?? '')

type InboxModule = typeof import('@hookguard/inbox')

async function loadInbox(): Promise<InboxModule> {
  try {
    return (await import(INBOX_PACKAGE)) as InboxModule
  } catch (error) {
    if (missing(error))
      throw new UsageError('hookguard inbox: install @hookguard/inbox and a driver first: npm i @hookguard/inbox better-sqlite3 (or pg)')
    throw error
  }
}

/** Opens the store, runs `use`, and always closes it (a pg pool would otherwise keep the process alive). */
async function withStore<T>(flags: DbFlags, use: (store: InboxStore, inbox: InboxModule) => Promise<T>): Promise<T | undefined> {
  const inbox = await loadInbox()
  let store: InboxStore
  try {
    store = await inbox.openStore(flags.db, { fileMustExist: true, ...(flags.table ? { table: flags.table } : {}) })
  } catch (error) {
    if (missing(error)) {
      const driver = flags.db.startsWith('sqlite:') ? 'better-sqlite3' : 'pg'
      throw new UsageError(`hookguard inbox: ${flags.db.startsWith('sqlite:') ? 'SQLite' : 'PostgreSQL'} needs its driver: npm i ${driver}`)
    }
    if (error instanceof TypeError) throw new UsageError(error.message)
    if ((error as { code?: string }).code === 'SQLITE_CANTOPEN') return fail(`no SQLite inbox at ${flags.db.slice('sqlite:'.length)}`)
    throw error
  }
  try {
    return await use(store, inbox)
  } catch (error) {
    if (error instanceof UsageError) throw error
    // Database trouble is an answer, not a crash: one line, exit 1.
    const message = error instanceof Error ? error.message : String(error)
    if (/no such table|relation .* does not exist/.test(message))
      return fail(`no inbox table in ${redact(flags.db)}${flags.table ? ` (table ${flags.table})` : ''}: has the app run store.migrate()?`)
    return fail(`${redact(flags.db)}: ${message}`)
  } finally {
    await store.close().catch(() => {})
  }
}

function fail(message: string): undefined {
  process.stderr.write(`hookguard inbox: ${message}\n`)
  process.exitCode = EXIT_CODES.failed
  return undefined
}

/** A URL without its password, for messages. */
const redact = (url: string) => url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@')

function age(ms: number): string {
  const abs = Math.abs(ms)
  const text =
    abs < 1_000
      ? `${Math.round(abs)}ms`
      : abs < 60_000
        ? `${Math.round(abs / 1_000)}s`
        : abs < 3_600_000
          ? `${Math.round(abs / 60_000)}m`
          : abs < 86_400_000
            ? `${Math.round(abs / 3_600_000)}h`
            : `${Math.round(abs / 86_400_000)}d`
  return ms < 0 ? `in ${text}` : `${text} ago`
}

function statusText(d: StoredDelivery): string {
  if (d.status === 'pending' && d.attempts > 0) return pc.yellow('failed')
  if (d.status === 'dead') return pc.red('dead')
  if (d.status === 'done') return pc.green('done')
  if (d.status === 'running') return pc.cyan('running')
  return 'pending'
}

/** Body as text when it is UTF-8, else base64: what `--json` prints. */
function bodyText(body: Uint8Array): { encoding: 'utf8' | 'base64'; body: string } {
  try {
    return { encoding: 'utf8', body: new TextDecoder('utf-8', { fatal: true }).decode(body) }
  } catch {
    return { encoding: 'base64', body: Buffer.from(body).toString('base64') }
  }
}

function toJson(d: StoredDelivery, withBody: boolean) {
  const { body, ...rest } = d
  return {
    ...rest,
    status: d.status === 'pending' && d.attempts > 0 ? 'failed' : d.status,
    receivedAt: new Date(d.receivedAt).toISOString(),
    dueAt: new Date(d.dueAt).toISOString(),
    updatedAt: new Date(d.updatedAt).toISOString(),
    ...(withBody ? bodyText(body) : { bytes: body.byteLength }),
  }
}

const clip = (text: string | undefined, max: number) => (text === undefined ? '' : text.length > max ? `${text.slice(0, max - 1)}…` : text)

function listCommand(): Command {
  return new Command('list')
    .description('list deliveries, newest first')
    .addOption(dbOption())
    .addOption(tableOption())
    .addOption(new Option('--status <status>', 'only this state').choices(['pending', 'running', 'failed', 'dead', 'done']))
    .addOption(new Option('-n, --limit <n>', 'how many').default(50).argParser((v) => parseCount(v, '--limit')))
    .option('--json', 'print JSON on stdout (for scripts)')
    .action(async (flags: DbFlags & { status?: StoredDelivery['status'] | 'failed'; limit: number }) => {
      await withStore(flags, async (store) => {
        const [rows, stats] = await Promise.all([store.list({ status: flags.status, limit: flags.limit }), store.stats(Date.now())])
        if (flags.json) return printJson({ stats, deliveries: rows.map((d) => toJson(d, false)) })
        const now = Date.now()
        const body = rows.map((d) => [
          d.id,
          d.type,
          statusText(d),
          d.attempts,
          age(now - d.receivedAt),
          d.status === 'pending' || d.status === 'running' ? (d.dueAt <= now ? 'now' : age(now - d.dueAt)) : '',
          clip(d.lastError, 60),
        ])
        process.stdout.write(`${table(['id', 'type', 'status', 'attempts', 'received', 'next', 'last error'], body)}\n`)
        process.stdout.write(`${summary(stats)}\n`)
      })
    })
}

function summary(s: { pending: number; running: number; failed: number; dead: number; done: number; oldestAgeMs: number }): string {
  const dead = s.dead > 0 ? pc.red(`${s.dead} dead`) : '0 dead'
  return `${s.pending} pending · ${s.running} running · ${s.failed} failed · ${dead} · ${s.done} done${s.oldestAgeMs > 0 ? ` · oldest unfinished ${age(s.oldestAgeMs)}` : ''}`
}

function parseCount(value: string, name: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new UsageError(`hookguard inbox: ${name} must be a whole number from 1 to 100000`)
  return n
}

function statsCommand(): Command {
  return new Command('stats')
    .description('counts per state and the age of the oldest unfinished delivery')
    .addOption(dbOption())
    .addOption(tableOption())
    .option('--json', 'print JSON on stdout (for scripts)')
    .action(async (flags: DbFlags) => {
      await withStore(flags, async (store) => {
        const stats = await store.stats(Date.now())
        if (flags.json) return printJson(stats)
        process.stdout.write(`${summary(stats)}\n`)
      })
    })
}

function showCommand(): Command {
  return new Command('show')
    .description('one delivery: state, attempts, last error, kept headers and body')
    .argument('<id>', 'the delivery id, e.g. stripe:evt_123 (see `inbox list`)')
    .addOption(dbOption())
    .addOption(tableOption())
    .option('--json', 'print JSON on stdout (for scripts)')
    .action(async (id: string, flags: DbFlags) => {
      await withStore(flags, async (store) => {
        const d = await store.get(id)
        if (!d) {
          process.stderr.write(`hookguard inbox: no delivery ${id}\n`)
          process.exitCode = EXIT_CODES.failed
          return
        }
        if (flags.json) return printJson(toJson(d, true))
        const { encoding, body } = bodyText(d.body)
        const rows: Array<[string, string | number]> = [
          ['id', d.id],
          ['type', d.type],
          ['status', statusText(d)],
          ['attempts', d.attempts],
          ['provider id', d.eventId ?? ''],
          ['signed at', d.timestamp === undefined ? '' : new Date(d.timestamp * 1000).toISOString()],
          ['received', `${new Date(d.receivedAt).toISOString()} (${age(Date.now() - d.receivedAt)})`],
          [
            d.status === 'running' ? 'lease ends' : 'due',
            d.status === 'pending' || d.status === 'running' ? new Date(d.dueAt).toISOString() : '',
          ],
          ['last error', d.lastError ?? ''],
          ...Object.entries(d.headers).map(([name, value]): [string, string] => [pc.dim(name), value]),
        ]
        process.stdout.write(`${table(['field', 'value'], rows)}\n`)
        process.stdout.write(`${pc.bold(`body (${d.body.byteLength} bytes, ${encoding})`)}\n${clip(body, 4_000)}\n`)
      })
    })
}

function retryCommand(): Command {
  return new Command('retry')
    .description('re-queue a dead or waiting delivery, or every dead one (--dead), due now with a fresh attempt budget')
    .argument('[id]', 'the delivery id')
    .option('--dead', 'every dead delivery')
    .addOption(dbOption())
    .addOption(tableOption())
    .option('--json', 'print JSON on stdout (for scripts)')
    .action(async (id: string | undefined, flags: DbFlags & { dead?: boolean }) => {
      if ((id === undefined) === (flags.dead !== true)) throw new UsageError('hookguard inbox retry: give one delivery id or --dead')
      await withStore(flags, async (store) => {
        const retried = await store.retry(id === undefined ? { dead: true } : { id }, Date.now())
        if (flags.json) printJson({ retried })
        else process.stdout.write(`${retried} ${retried === 1 ? 'delivery' : 'deliveries'} re-queued\n`)
        if (id !== undefined && retried === 0) {
          process.stderr.write(`hookguard inbox: ${id} is not dead or waiting (unknown, running or done)\n`)
          process.exitCode = EXIT_CODES.failed
        }
      })
    })
}

function purgeCommand(): Command {
  return new Command('purge')
    .description('delete done and dead deliveries last updated before a cut-off (pending work is never purged)')
    .requiredOption('--older-than <duration>', 'e.g. 7d, 12h, 90m')
    .addOption(dbOption())
    .addOption(tableOption())
    .option('--json', 'print JSON on stdout (for scripts)')
    .addHelpText(
      'after',
      `
Done rows are also the de-duplication memory: purge only what providers no longer retry
(Stripe retries for up to 3 days, GitHub does not retry by itself; keep a week to be safe).`,
    )
    .action(async (flags: DbFlags & { olderThan: string }) => {
      await withStore(flags, async (store, inbox) => {
        let ms: number
        try {
          ms = inbox.parseDuration(flags.olderThan)
        } catch (error) {
          throw new UsageError((error as Error).message)
        }
        const purged = await store.purge(Date.now() - ms)
        if (flags.json) printJson({ purged })
        else process.stdout.write(`${purged} ${purged === 1 ? 'delivery' : 'deliveries'} purged\n`)
      })
    })
}

/** `hookguard inbox …`: look into and operate a durable inbox (`@hookguard/inbox`). */
export function inboxCommand(): Command {
  return new Command('inbox')
    .description('inspect and operate a @hookguard/inbox store: list, show, retry, purge, stats')
    .addCommand(listCommand())
    .addCommand(showCommand())
    .addCommand(retryCommand())
    .addCommand(purgeCommand())
    .addCommand(statsCommand())
    .addHelpText(
      'after',
      `
The store comes from --db or HOOKGUARD_INBOX_DB: sqlite:var/inbox.db, or postgres://user@host/db?schema=name.
Needs @hookguard/inbox and the driver (better-sqlite3 or pg) installed next to the CLI.

Examples:
  $ hookguard inbox list --db sqlite:var/inbox.db --status dead
  $ hookguard inbox show stripe:evt_1Nq… --db sqlite:var/inbox.db
  $ hookguard inbox retry --dead --db postgres://app@db/app
  $ hookguard inbox purge --older-than 14d --db postgres://app@db/app`,
    )
}
