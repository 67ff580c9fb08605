import { describe, expect, it, vi } from 'vitest'
import { showExistingOrOpen } from '../../src/main/second-instance'

const window = (minimized: boolean) => ({ isMinimized: () => minimized, restore: vi.fn(), focus: vi.fn() })

describe('a second launch', () => {
  it('opens a window when none is open (macOS after closing the last one)', () => {
    const open = vi.fn()
    showExistingOrOpen([], open, true)
    expect(open).toHaveBeenCalledTimes(1)
  })

  it('does not open one before the app is ready (the first launch opens it)', () => {
    const open = vi.fn()
    showExistingOrOpen([], open, false)
    expect(open).not.toHaveBeenCalled()
  })

  it('restores and focuses the existing window instead of opening another', () => {
    const open = vi.fn()
    const win = window(true)
    showExistingOrOpen([win], open, true)
    expect(win.restore).toHaveBeenCalled()
    expect(win.focus).toHaveBeenCalled()
    expect(open).not.toHaveBeenCalled()
  })
})
