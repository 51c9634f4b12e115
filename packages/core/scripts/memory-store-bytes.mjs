// Measures memoryStore's heap cost per record. Build first, then:
//   pnpm --filter @hookguard/core build && node --expose-gc packages/core/scripts/memory-store-bytes.mjs [entries]
// Records are completed deliveries (the steady state), keyed as the handler keys them
// (`<scheme>:<delivery id>`) and claimed with the handler's token shape (`<uuid>:<counter>`).
import { memoryStore } from '../dist/index.js'

if (typeof globalThis.gc !== 'function') {
  console.error('run with node --expose-gc')
  process.exit(1)
}
const count = Number(process.argv[2] ?? 100_000)
const settle = () => {
  for (let i = 0; i < 4; i++) globalThis.gc()
  return process.memoryUsage().heapUsed
}
const prefix = crypto.randomUUID()
// Keys and tokens are built per delivery, as the handler builds them, so their strings count too.
const key = (i) => `stripe:evt_1Q${(1e15 + i * 7919).toString(36)}${i.toString(36)}`
const token = (i) => `${prefix}:${(i + 1).toString(36)}`

function measure(label, run) {
  const before = settle()
  const store = memoryStore({ maxEntries: count })
  run(store)
  const after = settle()
  if (store.size !== count) throw new Error(`expected ${count} records, found ${store.size}`)
  const bytes = (after - before) / count
  console.log(`${label}: ${bytes.toFixed(1)} bytes per record (${count} records, ${((after - before) / 1048576).toFixed(1)} MiB)`)
  return store
}

const completed = measure('completed', (store) => {
  for (let i = 0; i < count; i++) {
    const k = key(i)
    const t = token(i)
    store.claim(k, 60_000, t)
    store.complete(k, 660_000, t)
  }
})
const inFlight = measure('in flight', (store) => {
  for (let i = 0; i < count; i++) store.claim(key(i), 60_000, token(i))
})
// Keep both stores alive until both are measured.
if (completed.size + inFlight.size < 0) console.log('unreachable')
