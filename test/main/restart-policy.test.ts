import { describe, expect, it } from 'vitest'
import { RestartPolicy } from '../../src/main/restart-policy'

describe('RestartPolicy', () => {
  it('backs off exponentially and gives up after 5 restarts within a minute', () => {
    const policy = new RestartPolicy()
    const decisions = [0, 1_000, 2_000, 3_000, 4_000, 5_000].map((t) => policy.onCrash(t))
    expect(decisions.slice(0, 5).map((d) => (d.action === 'restart' ? d.delayMs : -1))).toEqual([250, 500, 1000, 2000, 4000])
    expect(decisions.slice(0, 5).map((d) => (d.action === 'restart' ? d.attempt : -1))).toEqual([1, 2, 3, 4, 5])
    expect(decisions[5]).toEqual({ action: 'give-up', crashes: 6, windowMs: 60_000 })
  })

  it('forgets crashes older than the window', () => {
    const policy = new RestartPolicy({ maxRestarts: 2, windowMs: 10_000 })
    expect(policy.onCrash(0).action).toBe('restart')
    expect(policy.onCrash(1_000).action).toBe('restart')
    expect(policy.onCrash(12_000)).toMatchObject({ action: 'restart', attempt: 1, delayMs: 250 })
  })

  it('caps the delay', () => {
    const policy = new RestartPolicy({ maxRestarts: 20, maxDelayMs: 3_000 })
    let last = policy.onCrash(0)
    for (let i = 1; i < 10; i++) last = policy.onCrash(i)
    expect(last).toMatchObject({ action: 'restart', delayMs: 3_000 })
  })
})
