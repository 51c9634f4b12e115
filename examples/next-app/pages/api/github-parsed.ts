import { webhookApiRoute } from '@hookguard/next'
import { githubHooks } from '../../webhooks/github'

// The mistake on purpose: no `export const config = { api: { bodyParser: false } }`, so Next parses the body
// first. hookguard answers 500 raw_body_unavailable naming the missing line instead of failing every signature.
export default webhookApiRoute(githubHooks)
