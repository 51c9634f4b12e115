// Entry for Cloudflare workerd (module worker) and Vercel Edge (fetch event): bundled by esbuild
// with the runtime's own export conditions; vectors are inlined at bundle time.
import vectors from 'virtual:vectors'
import { runConformance } from './conformance.mjs'

export async function respond() {
  const { results } = await runConformance({ vectors })
  return new Response(JSON.stringify({ results }), { headers: { 'content-type': 'application/json' } })
}
