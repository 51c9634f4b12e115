export type { SqliteDatabaseLike, SqliteStoreOptions } from './stores/sqlite'
export { sqliteStore } from './stores/sqlite'
