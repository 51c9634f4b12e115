import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { cli } from './helpers'

describe('hookguard (the program)', () => {
  it.each([[[]], [['sign']], [['send']], [['verify']], [['demo']], [['inbox']], [['inbox', 'list']]])(
    '--help works on %j and exits 0',
    async (command) => {
      const run = await cli([...command, '--help'])
      expect(run.code).toBe(0)
      expect(run.stdout).toMatch(/^Usage: hookguard/)
    },
  )

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'))
    const run = await cli(['--version'])
    expect(run.code).toBe(0)
    expect(run.stdout.trim()).toBe(version)
  })

  it.each([
    ['an unknown command', ['frobnicate']],
    ['an unknown option', ['demo', '--frobnicate']],
    ['no command at all', []],
  ])('exits 2 for %s', async (_name, args) => {
    const run = await cli(args)
    expect(run.code).toBe(2)
    expect(run.stderr).not.toBe('')
  })

  it('exports the programmatic API by name', async () => {
    expect(Object.keys(await import('@hookguard/cli')).sort()).toMatchInlineSnapshot(`
      [
        "EXIT_CODES",
        "UsageError",
        "createProgram",
        "diagnose",
        "parseHeaders",
        "run",
        "runDemo",
        "runLoad",
      ]
    `)
  })
})
