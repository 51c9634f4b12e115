import { webhookApiRoute } from '@hookguard/next'
import { githubHooks } from '../../webhooks/github'

// Pages Router: the signature covers the exact bytes, so Next's body parser must stay off for this route.
export const config = { api: { bodyParser: false } }

export default webhookApiRoute(githubHooks)
