import { Command, Option } from 'commander'
import { type DemoReport, runDemo } from '../lib/demo'
import { EXIT_CODES } from '../lib/errors'
import { jsonOption } from '../lib/options'
import { pc, printJson, statusColour, table } from '../lib/output'

interface DemoFlags {
  scheme: 'standard-webhooks' | 'stripe' | 'slack'
  json?: boolean
}

/** `hookguard demo`: a local receiver and a scripted set of good and bad deliveries, in seconds. */
export function demoCommand(): Command {
  return new Command('demo')
    .description('start an example receiver on 127.0.0.1 and fire good and bad deliveries at it')
    .addOption(
      new Option('-s, --scheme <scheme>', 'signature scheme')
        .choices(['standard-webhooks', 'stripe', 'slack'])
        .default('standard-webhooks'),
    )
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `
The receiver is Express with @hookguard/express and the in-memory replay store: no services needed.
Exit code 0 when every scenario was answered as expected, 1 otherwise.`,
    )
    .action(async (flags: DemoFlags) => {
      const report = await runDemo({
        scheme: flags.scheme,
        onListening: (url) => {
          if (!flags.json)
            process.stdout.write(`${pc.dim(`receiver: Express + @hookguard/express + memoryStore at ${url} (${flags.scheme})`)}\n\n`)
        },
      })
      process.exitCode = report.ok ? EXIT_CODES.ok : EXIT_CODES.failed
      if (flags.json) printJson(report)
      else process.stdout.write(formatDemo(report))
    })
}

/** The demo's table for people. */
export function formatDemo(report: DemoReport): string {
  const rows = report.rows.map((r, i) => [
    i + 1,
    r.scenario,
    statusColour(r.status),
    r.code,
    r.handlerRuns,
    r.asExpected ? pc.green('✓') : pc.red(`✗ expected ${r.expected.status} ${r.expected.code}, ${r.expected.handlerRuns} runs`),
    pc.dim(r.note),
  ])
  const table_ = table(['#', 'scenario', 'HTTP', 'code', 'handler runs', 'ok', 'what it shows'], rows, [
    'right',
    'left',
    'right',
    'left',
    'right',
    'left',
    'left',
  ])
  const summary = report.ok
    ? pc.green(`✓ all ${report.rows.length} deliveries answered as expected`)
    : pc.red(`✗ ${report.rows.filter((r) => !r.asExpected).length} of ${report.rows.length} deliveries answered unexpectedly`)
  return `${table_}\n${summary}\n${pc.dim('handler runs: how often the handler has run for that delivery id so far')}\n`
}
