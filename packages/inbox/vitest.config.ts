import { fileURLToPath } from 'node:url'
import { defineProject } from 'vitest/config'

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url))

// In-process tests run the package's sources under its public names; the child processes of the
// crash and scale-out tests run a bundle of the same sources (see test/fixtures/bundle.ts).
export default defineProject({
  resolve: {
    alias: [
      { find: /^@hookguard\/inbox$/, replacement: src('index.ts') },
      { find: /^@hookguard\/inbox\/(sqlite|postgres)$/, replacement: src('$1.ts') },
    ],
  },
  test: {
    name: 'inbox',
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Several files share one PostgreSQL server and 2 CPUs: run the files one after another.
    fileParallelism: false,
  },
})
