/** A route: an exact type, a `prefix.*` (or `prefix/*`) wildcard, or `*`. */
export type Route = string

interface Registered<THandler> {
  pattern: Route
  handler: THandler
  /** 0 exact, 1 prefix wildcard, 2 catch-all */
  rank: number
}

function rankOf(pattern: string): number {
  if (pattern === '*') return 2
  return pattern.endsWith('.*') || pattern.endsWith('/*') ? 1 : 0
}

function matches(pattern: string, rank: number, type: string): boolean {
  if (rank === 2) return true
  if (rank === 1) return type.startsWith(pattern.slice(0, -1)) && type.length > pattern.length - 1
  return pattern === type
}

/**
 * Routes event types to handlers. For one type the handlers run in a fixed order: exact matches,
 * then wildcards from the longest prefix to the shortest, then `*`; ties in registration order.
 * Lookups are memoised per type, so routing costs one Map hit per delivery.
 */
export class Router<THandler> {
  readonly #routes: Registered<THandler>[] = []
  readonly #cache = new Map<string, THandler[]>()

  add(pattern: Route, handler: THandler): void {
    if (typeof pattern !== 'string' || pattern === '')
      throw new TypeError('@hookguard/core: on() needs an event type, a "prefix.*" wildcard or "*"')
    if (typeof handler !== 'function') throw new TypeError('@hookguard/core: on() needs a handler function')
    this.#routes.push({ pattern, handler, rank: rankOf(pattern) })
    this.#cache.clear()
  }

  get size(): number {
    return this.#routes.length
  }

  /**
   * Runs the handlers for `event.type` one after another in the order above, awaiting only what
   * returns a promise (synchronous handlers cost no microtask each); the first throw rejects and
   * stops the rest. `reply` is the last value other than `undefined`.
   */
  async dispatch<TEvent extends { readonly type: string }>(
    this: Router<(event: TEvent) => unknown>,
    event: TEvent,
  ): Promise<{ handlers: number; reply: unknown }> {
    const handlers = this.match(event.type)
    let reply: unknown
    for (const handler of handlers) {
      let value = handler(event)
      if (typeof (value as PromiseLike<unknown> | null)?.then === 'function') value = await value
      if (value !== undefined) reply = value
    }
    return { handlers: handlers.length, reply }
  }

  match(type: string): THandler[] {
    let hit = this.#cache.get(type)
    if (hit) return hit
    hit = this.#routes
      .map((route, index) => ({ route, index }))
      .filter(({ route }) => matches(route.pattern, route.rank, type))
      .sort((a, b) => a.route.rank - b.route.rank || b.route.pattern.length - a.route.pattern.length || a.index - b.index)
      .map(({ route }) => route.handler)
    if (this.#cache.size > 1000) this.#cache.clear()
    this.#cache.set(type, hit)
    return hit
  }
}
