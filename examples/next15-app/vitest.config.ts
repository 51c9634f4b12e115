import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'example-next15-app',
    include: ['test/**/*.test.ts'],
    // `next build` runs once in beforeAll; on a 2-core CI runner that takes about a minute.
    hookTimeout: 240_000,
    testTimeout: 30_000,
  },
})
