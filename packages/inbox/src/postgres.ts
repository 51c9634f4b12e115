export type { PgQueryable, PostgresStoreOptions } from './stores/postgres'
export { postgresReplayStore, postgresStore } from './stores/postgres'
