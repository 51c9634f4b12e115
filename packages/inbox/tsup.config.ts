import { defineConfig } from 'tsup'

export default defineConfig({
  // The drivers live behind their own entries, so `@hookguard/inbox` loads neither and each app
  // installs only the one it uses.
  entry: { index: 'src/index.ts', sqlite: 'src/sqlite.ts', postgres: 'src/postgres.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'node',
  external: ['@hookguard/core', 'better-sqlite3', 'pg'],
})
