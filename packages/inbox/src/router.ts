/** A route: an exact type, a `prefix.*` (or `prefix/*`) wildcard, or `*`. */
interface Route<THandler> {
  pattern: string
  handler: THandler
  /** 0 exact, 1 prefix wildcard, 2 catch-all */
  rank: number
}

const rankOf = (pattern: string) => (pattern === '*' ? 2 : pattern.endsWith('.*') || pattern.endsWith('/*') ? 1 : 0)

function matches({ pattern, rank }: Route<unknown>, type: string): boolean {
  if (rank === 2) return true
  if (rank === 1) return type.length > pattern.length - 1 && type.startsWith(pattern.slice(0, -1))
  return pattern === type
}

/**
 * The same routing rules as `hooks.on()` in @hookguard/core (core's Router is internal): exact
 * matches, then wildcards from the longest prefix to the shortest, then `*`; ties in registration order.
 */
export class InboxRouter<THandler> {
  readonly #routes: Route<THandler>[] = []
  readonly #cache = new Map<string, THandler[]>()

  add(pattern: string, handler: THandler): void {
    if (typeof pattern !== 'string' || pattern === '')
      throw new TypeError('@hookguard/inbox: on() needs an event type, a "prefix.*" wildcard or "*"')
    if (typeof handler !== 'function') throw new TypeError('@hookguard/inbox: on() needs a handler function')
    this.#routes.push({ pattern, handler, rank: rankOf(pattern) })
    this.#cache.clear()
  }

  match(type: string): THandler[] {
    let hit = this.#cache.get(type)
    if (hit) return hit
    hit = this.#routes
      .map((route, index) => ({ route, index }))
      .filter(({ route }) => matches(route, type))
      .sort((a, b) => a.route.rank - b.route.rank || b.route.pattern.length - a.route.pattern.length || a.index - b.index)
      .map(({ route }) => route.handler)
    if (this.#cache.size > 1000) this.#cache.clear()
    this.#cache.set(type, hit)
    return hit
  }
}
