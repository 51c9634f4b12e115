import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { expect, it } from 'vitest'

it('exports exactly the documented names (a rename is a conscious change)', async () => {
  expect(Object.keys(await import('@hookguard/redis')).sort()).toMatchInlineSnapshot(`
    [
      "redisStore",
    ]
  `)
})

it('depends on core only, with both clients as optional peers', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  expect(Object.keys(pkg.dependencies)).toEqual(['@hookguard/core'])
  expect(pkg.peerDependenciesMeta).toEqual({ ioredis: { optional: true }, redis: { optional: true } })
})

it('ships the same names in the built CommonJS entry', () => {
  // createRequire bypasses the test alias: this loads dist/index.cjs through the package's exports map.
  const built = createRequire(import.meta.url)('@hookguard/redis')
  expect(Object.keys(built).sort()).toEqual(['redisStore'])
})
