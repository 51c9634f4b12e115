import { createWebhookHandler } from '@hookguard/core'
import { type RouteHandler, webhookApiRoute, webhookRoute, withWebhook } from '@hookguard/next'
import type { NextApiHandler } from 'next'
import type { NextRequest } from 'next/server'
import { expectTypeOf, it } from 'vitest'

type Events = { 'invoice.paid': { amount_paid: number }; 'invoice.voided': { reason: string } }
const hooks = createWebhookHandler<Events>({ scheme: 'stripe', secret: 'whsec_x' })

it('fits the signatures Next.js expects', () => {
  expectTypeOf(webhookRoute(hooks)).toEqualTypeOf<RouteHandler>()
  // Next calls App Router handlers with a NextRequest, a subclass of Request.
  expectTypeOf<NextRequest>().toExtend<Parameters<RouteHandler>[0]>()
  expectTypeOf(webhookApiRoute(hooks)).toExtend<NextApiHandler>()
})

it('hands withWebhook handlers the typed event union', () => {
  withWebhook(hooks, (event) => {
    if (event.type === 'invoice.paid') expectTypeOf(event.payload).toEqualTypeOf<{ amount_paid: number }>()
    else expectTypeOf(event.payload).toEqualTypeOf<{ reason: string }>()
    return new Response(null, { status: 204 })
  })
  // @ts-expect-error the handler must answer with a Response
  withWebhook(hooks, () => 'ok')
})
