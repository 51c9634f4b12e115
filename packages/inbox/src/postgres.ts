export type { PgQueryable, PostgresStoreOptions } from './stores/postgres'
export { postgresStore } from './stores/postgres'
