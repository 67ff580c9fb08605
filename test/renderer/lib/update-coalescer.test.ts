import { afterEach, describe, expect, it, vi } from 'vitest'
import { UpdateCoalescer } from '@renderer/lib/update-coalescer'

describe('update coalescer', () => {
  afterEach(() => vi.useRealTimers())

  it('applies at once with interval 0', () => {
    const c = new UpdateCoalescer()
    const seen: number[] = []
    c.schedule('a', () => seen.push(1))
    c.schedule('a', () => seen.push(2))
    expect(seen).toEqual([1, 2])
  })

  it('applies the latest update per key at most once per interval, and everything on flush', () => {
    vi.useFakeTimers()
    let now = 0
    const c = new UpdateCoalescer(() => now)
    c.setInterval(80)
    const seen: string[] = []
    // 40 messages a second for half a second: at most one redraw per 80 ms.
    for (let t = 0; t < 500; t += 25) {
      now = t
      c.schedule('loss', () => seen.push(`loss@${t}`))
      if (t % 50 === 0) c.schedule('acc', () => seen.push(`acc@${t}`))
      vi.advanceTimersByTime(25)
    }
    const losses = seen.filter((s) => s.startsWith('loss'))
    expect(losses.length).toBeGreaterThanOrEqual(5)
    expect(losses.length).toBeLessThanOrEqual(7)
    c.schedule('loss', () => seen.push('last'))
    c.flush()
    expect(seen.at(-1)).toBe('last')
    c.flush()
    expect(seen.filter((s) => s === 'last')).toHaveLength(1)
  })
})
