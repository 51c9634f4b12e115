import { defineProject } from 'vitest/config'

export default defineProject({ test: { name: 'example-custom-provider', include: ['test/**/*.test.ts'] } })
