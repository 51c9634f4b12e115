import { describe, expect, it } from 'vitest'

// A rename or removal of a public name must be a conscious change.
describe('public exports', () => {
  it('@hookguard/inbox', async () => {
    expect(Object.keys(await import('@hookguard/inbox')).sort()).toMatchInlineSnapshot(`
      [
        "DEFAULT_KEPT_HEADERS",
        "backoffDelay",
        "createInbox",
        "openStore",
        "parseDuration",
      ]
    `)
  })
  it('@hookguard/inbox/sqlite', async () => {
    expect(Object.keys(await import('@hookguard/inbox/sqlite')).sort()).toMatchInlineSnapshot(`
      [
        "sqliteReplayStore",
        "sqliteStore",
      ]
    `)
  })
  it('@hookguard/inbox/postgres', async () => {
    expect(Object.keys(await import('@hookguard/inbox/postgres')).sort()).toMatchInlineSnapshot(`
      [
        "postgresReplayStore",
        "postgresStore",
      ]
    `)
  })
})
