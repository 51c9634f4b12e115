import type { InboxStore } from './store'

/** Options for {@link openStore}. */
export interface OpenStoreOptions {
  /** The table name. @default 'hookguard_inbox' */
  table?: string
  /** SQLite: fail instead of creating a missing file (the CLI inspects, it never creates). @default false */
  fileMustExist?: boolean
}

/**
 * Opens a store from one string, loading only that store's driver: `sqlite:path/to/inbox.db`
 * (`sqlite::memory:` too) or a `postgres://` / `postgresql://` URL, where `?schema=` and `?table=`
 * pick the table. For the CLI and for configuration by environment variable.
 * @example
 * const store = await openStore(process.env.INBOX_DB ?? 'sqlite:var/inbox.db')
 */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<InboxStore> {
  if (url.startsWith('sqlite:')) {
    let path = url.slice('sqlite:'.length)
    if (path.startsWith('//')) path = path.slice(2)
    if (path === '') throw new TypeError('@hookguard/inbox: sqlite: needs a file path, e.g. sqlite:var/inbox.db')
    const { sqliteStore } = await import('./stores/sqlite')
    return sqliteStore({ path, fileMustExist: options.fileMustExist === true, ...(options.table ? { table: options.table } : {}) })
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const parsed = new URL(url)
    const schema = parsed.searchParams.get('schema') ?? undefined
    const table = parsed.searchParams.get('table') ?? options.table
    // Ours, not libpq's: pg must not see them.
    parsed.searchParams.delete('schema')
    parsed.searchParams.delete('table')
    const { postgresStore } = await import('./stores/postgres')
    return postgresStore({ connectionString: parsed.toString(), ...(schema ? { schema } : {}), ...(table ? { table } : {}) })
  }
  throw new TypeError(
    `@hookguard/inbox: cannot open ${JSON.stringify(url.replace(/\/\/[^@/]*@/, '//…@'))}; use sqlite:path or postgres://…`,
  )
}
