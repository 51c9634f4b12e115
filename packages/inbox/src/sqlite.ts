export type { SqliteDatabaseLike, SqliteStoreOptions } from './stores/sqlite'
export { sqliteReplayStore, sqliteStore } from './stores/sqlite'
