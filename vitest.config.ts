import { defineConfig } from 'vitest/config'

// `pnpm vitest` at the root runs every package's project; `pnpm test` goes through turbo so each
// package is built first and its tests run in its own directory.
export default defineConfig({
  test: {
    projects: ['packages/*', 'examples/*'],
  },
})
