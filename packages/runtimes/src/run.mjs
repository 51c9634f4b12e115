// Entry for Node, Bun and Deno: `<runtime> src/run.mjs <vectors.json> [web]` prints one JSON line.
import { readFileSync } from 'node:fs'
import { runConformance } from './conformance.mjs'

const [vectorsPath, cryptoName] = globalThis.Deno ? Deno.args : process.argv.slice(2)
const vectors = JSON.parse(readFileSync(vectorsPath, 'utf8'))
const crypto = cryptoName === 'web' ? (await import('@hookguard/core/crypto/web')).webCrypto : undefined
const { results } = await runConformance({ vectors, crypto })
console.log(JSON.stringify({ runtime: globalThis.Deno ? 'deno' : globalThis.Bun ? 'bun' : 'node', results }))
