#!/usr/bin/env node
import { run } from './program'

// exitCode, not exit(): stdout is flushed before the process ends, even when piped.
process.exitCode = await run(process.argv)
