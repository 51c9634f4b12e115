import { sightings } from '../../../webhooks/seen'

// What the Node.js routes (App Router and Pages Router) handled in this process.
export const dynamic = 'force-dynamic'
export const GET = () => Response.json(sightings())
