import { defineProject } from 'vitest/config'

export default defineProject({ test: { name: 'example-observer-pino', include: ['test/**/*.test.ts'] } })
