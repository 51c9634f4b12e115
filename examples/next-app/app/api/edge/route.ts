import { withWebhook } from '@hookguard/next'
import { record, sightings } from '../../../webhooks/seen'
import { standardHooks } from '../../../webhooks/standard'

// App Router, Edge runtime: Web Crypto only, no node:crypto in this bundle.
export const runtime = 'edge'

// Your own handler gets the verified, typed event; a 2xx Response completes the delivery, anything else
// (or a throw) releases it so the sender's retry is processed.
export const POST = withWebhook(standardHooks, async (event) => {
  const user = event.payload.data
  record({ route: 'app/edge (edge)', id: event.id, type: event.type, detail: user.email })
  return Response.json({ welcomed: user.id })
})

// The Edge route runs in its own isolate, so it reports its own sightings.
export const GET = () => Response.json(sightings())
