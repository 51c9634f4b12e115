import { SCHEME_NAMES } from '@hookguard/core'
import { Option } from 'commander'

/** `--scheme`: one of core's built-in schemes. */
export function schemeOption(defaultValue?: string): Option {
  const option = new Option('-s, --scheme <scheme>', 'signature scheme').choices(SCHEME_NAMES)
  if (defaultValue) return option.default(defaultValue)
  return option.makeOptionMandatory()
}

/**
 * `--secret`, also read from `HOOKGUARD_SECRET` so the secret need not sit in shell history or `ps`.
 */
export function secretOption(): Option {
  return new Option('-k, --secret <secret>', 'signing secret, exactly as the provider shows it (or set HOOKGUARD_SECRET)')
    .env('HOOKGUARD_SECRET')
    .makeOptionMandatory()
}

/** `--json`: machine-readable output on stdout. */
export function jsonOption(): Option {
  return new Option('--json', 'print JSON on stdout (for scripts)')
}
