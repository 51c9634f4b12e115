// Heap bytes per memoryStore entry: `node --expose-gc memory-store-child.ts <entries>`.
// Every entry is one delivery claimed then completed, with the key and token shapes the handler uses.
import { randomUUID } from 'node:crypto'
import { memoryStore } from '@hookguard/core'

const entries = Number(process.argv[2] ?? 100_000)
const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('run with --expose-gc')
const settle = () => {
  for (let i = 0; i < 3; i++) gc()
  return process.memoryUsage().heapUsed
}
// Keys and tokens are created after the baseline: the store keeps them alive, so they are its cost.
const before = settle()
const store = memoryStore({ maxEntries: entries })
for (let i = 0; i < entries; i++) {
  const key = `standard-webhooks:msg_2zQ${i.toString(36).padStart(23, '0')}`
  const token = randomUUID()
  if (store.claim(key, 60_000, token) !== 'claimed') throw new Error('claim failed')
  store.complete(key, 660_000, token)
}
const after = settle()
if (store.size !== entries) throw new Error(`store holds ${store.size} entries, wanted ${entries}`)
process.send?.({
  entries,
  heapBytes: after - before,
  bytesPerEntry: (after - before) / entries,
  keyChars: 'standard-webhooks:msg_2zQ'.length + 23,
})
