/** A source of uniform numbers in [0, 1), like Math.random. */
export type Random = () => number

/**
 * mulberry32: a tiny 32-bit PRNG, plenty for demo data, and the same seed always
 * gives the same sequence, so seeded databases and the tests on them are stable.
 */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A whole number from min to max, both included. */
export const intBetween = (random: Random, min: number, max: number): number =>
  min + Math.floor(random() * (max - min + 1))

/** One element of a non-empty list, each equally likely. */
export function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)]
  if (item === undefined) throw new RangeError('pick from an empty list')
  return item
}

/** Draws values with the given relative weights; the cumulative table is built once, each draw is a binary search. */
export class Weighted<T> {
  private readonly values: T[]
  private readonly cumulative: number[]
  private readonly total: number

  constructor(entries: readonly (readonly [T, number])[]) {
    this.values = []
    this.cumulative = []
    let total = 0
    for (const [value, weight] of entries) {
      if (weight <= 0) continue
      total += weight
      this.values.push(value)
      this.cumulative.push(total)
    }
    if (this.values.length === 0) throw new RangeError('a weighted choice needs at least one positive weight')
    this.total = total
  }

  draw(random: Random): T {
    const target = random() * this.total
    let lo = 0
    let hi = this.cumulative.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((this.cumulative[mid] ?? 0) > target) hi = mid
      else lo = mid + 1
    }
    return this.values[lo] as T
  }
}
