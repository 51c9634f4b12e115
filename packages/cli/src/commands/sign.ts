import type { SchemeName } from '@hookguard/core'
import { Command, Option } from 'commander'
import { parseTimestamp, readBytes } from '../lib/input'
import { jsonOption, schemeOption, secretOption } from '../lib/options'
import { pc, printJson } from '../lib/output'
import { signWithFlags } from '../lib/sign-flags'

interface SignFlags {
  scheme: SchemeName
  secret: string
  body: string
  id?: string
  timestamp?: number
  type?: string
  url: string
  json?: boolean
}

/** `hookguard sign`: the headers a provider would send for a body, and a curl line that sends it. */
export function signCommand(): Command {
  return new Command('sign')
    .description('sign a body the way a provider would: print the headers and a ready curl command')
    .addOption(schemeOption())
    .addOption(secretOption())
    .requiredOption('-b, --body <file>', 'the exact body to sign (- reads stdin)')
    .option('--id <id>', 'delivery id (default: a random UUID)')
    .addOption(new Option('--timestamp <unix>', 'signed timestamp, Unix seconds or ISO date (default: now)').argParser(parseTimestamp))
    .option('--type <type>', 'event type, for schemes that send it in a header (github, shopify)')
    .option('--url <url>', 'URL for the curl line', 'http://localhost:3000/webhooks')
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `
Examples:
  $ hookguard sign --scheme stripe --secret whsec_test --body payload.json
  $ HOOKGUARD_SECRET=whsec_… hookguard sign -s standard-webhooks -b payload.json --json`,
    )
    .action(async (flags: SignFlags) => {
      const body = await readBytes(flags.body, 'body')
      const headers = await signWithFlags(flags, body)
      if (flags.json) {
        printJson(headers)
        return
      }
      const lines = Object.entries(headers).map(([name, value]) => `${pc.cyan(name)}: ${value}`)
      const data = flags.body === '-' ? ['--data-binary', '@-'] : ['--data-binary', `@${flags.body}`]
      const curl = [
        'curl',
        '-X',
        'POST',
        flags.url,
        ...Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]),
        ...data,
      ]
        .map(shellWord)
        .join(' ')
      process.stdout.write(`${lines.join('\n')}\n\n${pc.dim('# send it:')}\n${curl}\n`)
    })
}

/** A POSIX shell word: as is when it is plain, else single-quoted (a `'` becomes `'\''`). */
function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`
}
