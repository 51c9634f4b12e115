import type { SchemeName } from '@hookguard/core'
import { SingleBar } from 'cli-progress'
import { Command, Option } from 'commander'
import { EXIT_CODES, UsageError } from '../lib/errors'
import { collectHeader, parseInteger, parsePercent, parseTimestamp, readBytes } from '../lib/input'
import { type LoadRunSummary, runLoad } from '../lib/load-run'
import { jsonOption, schemeOption, secretOption } from '../lib/options'
import { pc, printJson, statusColour, table } from '../lib/output'
import { post } from '../lib/post'
import { signWithFlags } from '../lib/sign-flags'
import { roundMs } from '../lib/stats'

interface SendFlags {
  scheme: SchemeName
  secret: string
  body: string
  type?: string
  id?: string
  timestamp?: number
  header?: Array<[string, string]>
  count?: number
  concurrency?: number
  duplicates?: number
  timeout: number
  json?: boolean
}

/** `hookguard send`: one signed POST, or a signed load run with duplicates. */
export function sendCommand(): Command {
  return new Command('send')
    .description('POST a signed delivery to a URL; with --count, a signed load run with re-sent duplicates')
    .argument('<url>', 'the receiver, e.g. http://localhost:3000/webhooks')
    .addOption(schemeOption())
    .addOption(secretOption())
    .requiredOption('-b, --body <file>', 'the exact body to send (- reads stdin)')
    .option('--type <type>', 'event type, for schemes that send it in a header (github, shopify)')
    .option('--id <id>', 'delivery id of a single send (default: a random UUID)')
    .addOption(new Option('--timestamp <unix>', 'signed timestamp of a single send, Unix seconds or ISO date').argParser(parseTimestamp))
    .addOption(new Option('-H, --header <header>', 'extra header "Name: value" (repeatable)').argParser(collectHeader))
    .addOption(new Option('-n, --count <n>', 'load run: unique deliveries to send').argParser(parseInteger(1, 1_000_000)))
    .addOption(new Option('-c, --concurrency <n>', 'load run: requests in flight at once (default 10)').argParser(parseInteger(1, 1000)))
    .addOption(
      new Option('-d, --duplicates <percent>', 'load run: share of deliveries re-sent after their first answer (default 0)').argParser(
        parsePercent,
      ),
    )
    .addOption(new Option('--timeout <ms>', 'per-request timeout').argParser(parseInteger(1, 600_000)).default(10_000))
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `
A load run sends --count unique deliveries and re-sends --duplicates percent of them (the same
signed request, right after its first answer). A duplicate is "acknowledged" when the receiver
answers 409 or a 2xx saying duplicate, "re-processed" when it answers a plain 2xx.
Exit code 1 when a request fails, is refused, or a duplicate is re-processed.

Examples:
  $ hookguard send http://localhost:3000/webhooks -s stripe -k whsec_test -b payload.json
  $ hookguard send http://localhost:3000/webhooks -s standard-webhooks -k whsec_… -b payload.json -n 1000 -c 20 -d 10`,
    )
    .action(async (url: string, flags: SendFlags) => {
      checkUrl(url)
      const body = await readBytes(flags.body, 'body')
      const loadRun = flags.count !== undefined || flags.concurrency !== undefined || flags.duplicates !== undefined
      if (loadRun) return sendMany(url, body, flags)
      return sendOne(url, body, flags)
    })
}

function checkUrl(url: string): void {
  let parsed: URL | undefined
  try {
    parsed = new URL(url)
  } catch {
    parsed = undefined
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new UsageError(`hookguard: "${url}" is not an http(s) URL`)
  }
}

async function sendOne(url: string, body: Uint8Array, flags: SendFlags): Promise<void> {
  const headers = await signWithFlags(flags, body)
  const result = await post(url, { ...headers, ...Object.fromEntries(flags.header ?? []) }, body, flags.timeout)
  const ok = result.status >= 200 && result.status < 300
  process.exitCode = ok ? EXIT_CODES.ok : EXIT_CODES.failed
  if (flags.json) {
    printJson({
      ok,
      url,
      status: result.status,
      code: result.code,
      latencyMs: roundMs(result.latencyMs),
      body: result.body,
      error: result.error,
    })
    return
  }
  if (result.status === 0) {
    process.stdout.write(`${pc.red('no answer')}  ${result.code}  ${result.error}  ${roundMs(result.latencyMs)} ms\n`)
    return
  }
  process.stdout.write(`${statusColour(result.status)}  ${result.code}  ${roundMs(result.latencyMs)} ms\n${pc.dim(result.body)}\n`)
}

async function sendMany(url: string, body: Uint8Array, flags: SendFlags): Promise<void> {
  const count = flags.count ?? 1
  // A live bar only for a person watching; logs and pipes get the summary alone.
  const bar =
    process.stderr.isTTY && !flags.json
      ? new SingleBar({
          stream: process.stderr,
          format: 'sending [{bar}] {percentage}% | {value}/{total} requests | ETA {eta_formatted}',
          hideCursor: true,
          clearOnComplete: true,
        })
      : undefined
  let started = false
  // Ctrl-C mid-run: give the terminal its cursor back before exiting (130 = interrupted).
  const interrupt = () => {
    bar?.stop()
    process.exit(130)
  }
  if (bar) process.once('SIGINT', interrupt)
  const summary = await runLoad({
    url,
    scheme: flags.scheme,
    secret: flags.secret,
    body,
    count,
    concurrency: flags.concurrency ?? 10,
    duplicatesPercent: flags.duplicates ?? 0,
    timeoutMs: flags.timeout,
    ...(flags.type === undefined ? {} : { type: flags.type }),
    ...(flags.header ? { headers: flags.header } : {}),
    onProgress(done, total) {
      if (!bar) return
      if (!started) {
        bar.start(total, 0)
        started = true
      }
      bar.update(done)
    },
  })
  bar?.stop()
  process.removeListener('SIGINT', interrupt)
  process.exitCode = summary.ok ? EXIT_CODES.ok : EXIT_CODES.failed
  if (flags.json) printJson(summary)
  else process.stdout.write(formatSummary(summary))
}

/** The load run's summary for people. */
export function formatSummary(s: LoadRunSummary): string {
  const answerRows = s.answers.map((a) => [a.status === 0 ? pc.red('no answer') : statusColour(a.status), a.code, a.count])
  const d = s.duplicates
  const verdict = s.ok
    ? pc.green('✓ all deliveries answered, no duplicate re-processed')
    : pc.red(`✗ ${s.failures} failed, ${d.reprocessed} duplicates re-processed`)
  return [
    `${pc.bold(`${s.requests} requests`)} (${s.unique} unique + ${d.sent} duplicates) to ${s.url} in ${Math.round(s.durationMs)} ms, ${s.requestsPerSecond} req/s`,
    '',
    table(['status', 'code', 'count'], answerRows, ['left', 'left', 'right']),
    table(
      ['latency', 'p50', 'p95', 'p99', 'max'],
      [['ms', s.latencyMs.p50, s.latencyMs.p95, s.latencyMs.p99, s.latencyMs.max]],
      ['left', 'right', 'right', 'right', 'right'],
    ),
    `duplicates: ${d.sent} sent, ${pc.green(`${d.acknowledged} acknowledged`)}, ${d.reprocessed ? pc.red(`${d.reprocessed} re-processed`) : '0 re-processed'}, ${d.failed} failed`,
    verdict,
    '',
  ].join('\n')
}
