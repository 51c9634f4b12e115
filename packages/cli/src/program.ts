import { Command, CommanderError } from 'commander'
import { version } from '../package.json'
import { demoCommand } from './commands/demo'
import { inboxCommand } from './commands/inbox'
import { sendCommand } from './commands/send'
import { signCommand } from './commands/sign'
import { verifyCommand } from './commands/verify'
import { EXIT_CODES, UsageError } from './lib/errors'

/** Commander settings every command needs, applied to the whole tree (addCommand() does not inherit them). */
function configure(command: Command): void {
  command.exitOverride().showHelpAfterError('(run with --help for usage)')
  for (const sub of command.commands) configure(sub)
}

/** The `hookguard` command tree. */
export function createProgram(): Command {
  const program = new Command('hookguard')
    .description('Sign, send, load-test and debug signed webhooks; `hookguard demo` shows every protection at work.')
    .version(version, '-v, --version')
    .addCommand(signCommand())
    .addCommand(sendCommand())
    .addCommand(verifyCommand())
    .addCommand(demoCommand())
    // `hookguard inbox …` loads @hookguard/inbox (an optional peer) only when it runs.
    .addCommand(inboxCommand())
    .addHelpText(
      'after',
      `
Exit codes: 0 ok, 1 failed (not verified, request failed or refused), 2 usage error.
Secrets can come from HOOKGUARD_SECRET instead of --secret.`,
    )
  configure(program)
  return program
}

/** Runs the CLI on `argv` (as `process.argv`) and resolves the exit code; never calls `process.exit`. */
export async function run(argv: readonly string[]): Promise<number> {
  const program = createProgram()
  try {
    await program.parseAsync([...argv])
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_CODES.ok
  } catch (error) {
    // Commander already printed its message (or the help); only the exit code is left to decide.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage
    const message = error instanceof Error ? error.message : String(error)
    // core throws TypeError for a malformed secret: the input is at fault, not the program.
    if (error instanceof UsageError || (error instanceof TypeError && message.startsWith('@hookguard/'))) {
      process.stderr.write(`${message}\n`)
      return EXIT_CODES.usage
    }
    process.stderr.write(`hookguard: ${error instanceof Error ? (error.stack ?? message) : message}\n`)
    return EXIT_CODES.failed
  }
}
