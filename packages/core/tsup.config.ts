import { defineConfig } from 'tsup'

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'crypto/node': 'src/crypto/node.ts',
    'crypto/web': 'src/crypto/web.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: false,
  sourcemap: true,
  target: 'es2022',
  platform: 'neutral',
  // `#crypto` is resolved at install time by the package's own `imports` map, so each runtime
  // loads exactly one implementation: node:crypto under the `node` condition, Web Crypto elsewhere.
  external: ['#crypto', 'node:crypto'],
})
