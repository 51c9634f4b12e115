import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'cli',
    include: ['test/**/*.test.ts'],
    // Every test runs the built `dist/bin.js` as a subprocess, the way users run it.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
  },
})
