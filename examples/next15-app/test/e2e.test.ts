import { fileURLToPath } from 'node:url'
import { describeNextApp } from '../../next-app/test/next-e2e'

describeNextApp('Next.js 15 (webpack build)', fileURLToPath(new URL('..', import.meta.url)))
