import { backoffDelay, parseDuration } from '@hookguard/inbox'
import { describe, expect, it } from 'vitest'

describe('backoffDelay', () => {
  it('doubles per attempt between half and all of the step, capped at maxMs', () => {
    const low = () => 0
    const high = () => 0.999999
    expect([1, 2, 3, 4].map((a) => backoffDelay(a, {}, low))).toEqual([500, 1000, 2000, 4000])
    expect([1, 2, 3, 4].map((a) => backoffDelay(a, {}, high))).toEqual([1000, 2000, 4000, 8000])
    expect(backoffDelay(40, { maxMs: 60_000 }, high)).toBe(60_000)
    expect(backoffDelay(3, { baseMs: 100, factor: 3 }, low)).toBe(450)
  })

  it('spreads a burst: retries of the same attempt do not all land at once', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(5)))
    expect(delays.size).toBeGreaterThan(40)
    for (const d of delays) expect(d >= 8_000 && d <= 16_000).toBe(true)
  })
})

describe('parseDuration', () => {
  it('reads units and plain ms, and refuses anything else', () => {
    expect(parseDuration('90s')).toBe(90_000)
    expect(parseDuration('15m')).toBe(900_000)
    expect(parseDuration('1d12h')).toBe(129_600_000)
    expect(parseDuration('2w')).toBe(1_209_600_000)
    expect(parseDuration('250')).toBe(250)
    expect(parseDuration('0s')).toBe(0)
    for (const bad of ['', 'soon', '7 days', '5x', '-1d', '1d x']) expect(() => parseDuration(bad)).toThrow(TypeError)
  })
})

describe('openStore', () => {
  it('opens sqlite: paths (and :memory:) and refuses other schemes without leaking credentials', async () => {
    const { openStore } = await import('@hookguard/inbox')
    const memory = await openStore('sqlite::memory:')
    await memory.migrate()
    expect(await memory.stats(1)).toMatchObject({ pending: 0 })
    await memory.close()
    await expect(openStore('sqlite:')).rejects.toThrow(TypeError)
    const refused = openStore('mysql://root:hunter2@db/app')
    await expect(refused).rejects.toThrow(/sqlite:path or postgres:/)
    await expect(refused).rejects.not.toThrow(/hunter2/)
  })
})
