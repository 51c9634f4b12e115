import { fileURLToPath } from 'node:url'
import { describeNextApp } from './next-e2e'

describeNextApp('Next.js 16 (Turbopack build)', fileURLToPath(new URL('..', import.meta.url)))
