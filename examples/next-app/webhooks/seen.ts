/**
 * What the example's handlers saw, so you (and the end-to-end test) can check that a verified event reached
 * user code once, with its typed payload: `GET /api/seen` (Node.js routes) or `GET /api/edge` (the Edge route,
 * which runs in its own isolate).
 */
export interface Sighting {
  route: string
  id: string | undefined
  type: string
  /** A field read from the typed payload, e.g. a Stripe invoice's `amount_paid`. */
  detail: string | number
}

// On globalThis, not a module variable: Next bundles App Router and Pages Router routes separately,
// so a module would be instantiated once per bundle, while the process (or Edge isolate) is shared.
const store = globalThis as typeof globalThis & { __hookguardSeen?: Sighting[] }

export function record(sighting: Sighting): void {
  store.__hookguardSeen ??= []
  store.__hookguardSeen.push(sighting)
}

export function sightings(): Sighting[] {
  return store.__hookguardSeen ?? []
}
