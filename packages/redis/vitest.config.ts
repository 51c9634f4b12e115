import { fileURLToPath } from 'node:url'
import { defineProject } from 'vitest/config'

export default defineProject({
  resolve: {
    // In-process tests run the sources; the multi-process fixtures import the built package
    // (test/global-setup.ts rebuilds it when src is newer), as an application would.
    alias: [{ find: /^@hookguard\/redis$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) }],
  },
  test: {
    name: 'redis',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // One shared Redis and several spawned servers on a small machine: one file at a time.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
})
