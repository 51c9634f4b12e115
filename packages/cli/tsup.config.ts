import { defineConfig } from 'tsup'

export default defineConfig([
  {
    // The programmatic API (diagnosis, load run, demo) for scripts and other tools.
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: false,
    sourcemap: true,
    target: 'es2022',
    platform: 'node',
    // Fixed file names only (no hashed chunks), so rebuilding without `clean` leaves nothing stale.
    splitting: false,
  },
  {
    // The executable: ESM only; tsup keeps the `#!/usr/bin/env node` line and marks the file executable.
    entry: { bin: 'src/bin.ts' },
    format: ['esm'],
    dts: false,
    clean: false,
    sourcemap: true,
    target: 'es2022',
    platform: 'node',
    splitting: false,
  },
])
