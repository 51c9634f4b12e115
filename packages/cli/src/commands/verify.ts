import { readFile } from 'node:fs/promises'
import type { SchemeName } from '@hookguard/core'
import { Command, Option } from 'commander'
import { type Diagnosis, diagnose } from '../lib/diagnose'
import { EXIT_CODES, UsageError } from '../lib/errors'
import { parseHeaders, parseInteger, parseNow, readBytes } from '../lib/input'
import { jsonOption, schemeOption, secretOption } from '../lib/options'
import { pc, printJson } from '../lib/output'

interface VerifyFlags {
  scheme: SchemeName
  secret: string
  headers: string
  body: string
  now?: number
  tolerance?: number
  json?: boolean
}

/** `hookguard verify`: a verdict on a saved delivery and, when it fails, the most likely cause. */
export function verifyCommand(): Command {
  return new Command('verify')
    .description('verify a saved delivery; when it fails, explain the most likely cause')
    .addOption(schemeOption())
    .addOption(secretOption())
    .requiredOption('--headers <file>', 'the request headers: "Name: value" lines, or a JSON object')
    .requiredOption('-b, --body <file>', 'the exact body bytes the receiver got (- reads stdin)')
    .addOption(new Option('--now <time>', 'verify as of this time: Unix seconds, milliseconds or ISO date').argParser(parseNow))
    .addOption(new Option('--tolerance <seconds>', "timestamp tolerance (default: the scheme's, 300)").argParser(parseInteger(0, 1e9)))
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `
When a delivery does not verify, hookguard tries what usually went wrong and says which one fits:
  - the body was re-serialised (compact/indented JSON, key order, escaping, trailing newline)
  - the secret's format (missing whsec_ prefix, a base64 secret used raw, whitespace, quotes)
  - timestamp skew, and by how much
  - headers of another provider (the receiver is configured for the wrong scheme)
Exit code 0 when the delivery verifies, 1 when it does not, 2 for a usage error.

Example:
  $ hookguard verify --scheme stripe --secret whsec_… --headers headers.txt --body body.json`,
    )
    .action(async (flags: VerifyFlags) => {
      let headerText: string
      try {
        headerText = await readFile(flags.headers, 'utf8')
      } catch (error) {
        throw new UsageError(`hookguard: cannot read the headers file ${flags.headers} (${(error as NodeJS.ErrnoException).code})`)
      }
      const headers = parseHeaders(headerText)
      const body = await readBytes(flags.body, 'body')
      const diagnosis = await diagnose({
        scheme: flags.scheme,
        secret: flags.secret,
        headers,
        body,
        ...(flags.now === undefined ? {} : { now: flags.now }),
        ...(flags.tolerance === undefined ? {} : { toleranceSeconds: flags.tolerance }),
      })
      process.exitCode = diagnosis.verified ? EXIT_CODES.ok : EXIT_CODES.failed
      if (flags.json) printJson(diagnosis)
      else process.stdout.write(formatDiagnosis(diagnosis))
    })
}

/** The verdict for people. */
export function formatDiagnosis(d: Diagnosis): string {
  if (d.verified) {
    const facts = [
      d.delivery?.id && `id ${d.delivery.id}`,
      d.delivery?.type && `type ${d.delivery.type}`,
      d.delivery?.timestamp !== undefined && `signed ${new Date(d.delivery.timestamp * 1000).toISOString()}`,
    ].filter(Boolean)
    return `${pc.green('✓ verified')} ${d.scheme}${facts.length ? ` (${facts.join(', ')})` : ''}\n`
  }
  const [likely, ...others] = d.causes
  const lines = [
    `${pc.red('✗ not verified')}: ${d.code ?? 'invalid secret'}${d.status ? ` (HTTP ${d.status})` : ''}`,
    pc.dim(d.message),
    '',
  ]
  if (likely) lines.push(`${pc.bold('Most likely cause')} ${pc.cyan(`[${likely.kind}]`)}:`, `  ${likely.message}`)
  if (others.length > 0) {
    lines.push('', pc.bold('Also:'))
    for (const cause of others) lines.push(`  ${pc.cyan(`[${cause.kind}]`)} ${cause.message}`)
  }
  return `${lines.join('\n')}\n`
}
