import { defineConfig } from 'tsup'

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // Neutral, not node: the same build runs in Next's Edge runtime, so nothing here may import `node:*`.
  platform: 'neutral',
  external: ['@hookguard/core', 'next'],
})
