/**
 * The ReplayStore in SQL, for teams that run handlers in the request (core's pipeline) and want
 * replay protection shared by every process without Redis. Written once with `$1…` placeholders,
 * each used once and in order, so SQLite can take them as plain `?`.
 */
export const replaySql = {
  create: (t: string, index: string) => `
    CREATE TABLE IF NOT EXISTS ${t} (
      key text PRIMARY KEY,
      token text NOT NULL,
      done integer NOT NULL,
      expires_at bigint NOT NULL
    );
    CREATE INDEX IF NOT EXISTS ${index} ON ${t} (expires_at);`,
  // A new key, or one whose lease or retention ended, becomes ours; a live record stays untouched.
  claim: (t: string) => `
    INSERT INTO ${t} AS r (key, token, done, expires_at) VALUES ($1, $2, 0, $3)
    ON CONFLICT (key) DO UPDATE SET token = excluded.token, done = 0, expires_at = excluded.expires_at
    WHERE r.expires_at <= $4
    RETURNING key`,
  state: (t: string) => `SELECT done FROM ${t} WHERE key = $1`,
  // Only the claim's own token completes it; a missing row (our lapsed lease was swept) is recorded as done.
  complete: (t: string) => `
    INSERT INTO ${t} AS r (key, token, done, expires_at) VALUES ($1, $2, 1, $3)
    ON CONFLICT (key) DO UPDATE SET done = 1, expires_at = excluded.expires_at
    WHERE r.token = excluded.token AND r.done = 0`,
  release: (t: string) => `DELETE FROM ${t} WHERE key = $1 AND token = $2 AND done = 0`,
  sweep: (t: string) => `DELETE FROM ${t} WHERE key IN (SELECT key FROM ${t} WHERE expires_at < $1 LIMIT 100)`,
}

/** `$1…$n` → `?` for SQLite (better-sqlite3 binds `?` by position). */
export function numbered(sql: string): string {
  let expected = 1
  return sql.replace(/\$(\d+)/g, (_, n: string) => {
    if (Number(n) !== expected++) throw new Error(`@hookguard/inbox: replay SQL parameters must be used once, in order: ${sql}`)
    return '?'
  })
}

/** Sweep expired records every this many claims, a hundred at a time (no timers, like memoryStore). */
export const SWEEP_EVERY = 200
