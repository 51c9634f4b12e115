import { fileURLToPath } from 'node:url'
import { defineProject } from 'vitest/config'

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url))

// Core's own tests run against the sources (fast feedback, coverage); every other package tests
// against core's built `dist`, resolved the way users resolve it.
export default defineProject({
  resolve: {
    alias: [
      { find: /^#crypto$/, replacement: src('crypto/node.ts') },
      { find: /^@hookguard\/core$/, replacement: src('index.ts') },
      { find: /^@hookguard\/core\/crypto\/(node|web)$/, replacement: src('crypto/$1.ts') },
    ],
  },
  test: {
    name: 'core',
    include: ['test/**/*.test.ts'],
  },
})
