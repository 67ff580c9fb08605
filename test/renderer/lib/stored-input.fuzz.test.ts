import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PRESETS } from '@engine/presets'
import { parseNumber, parseSizes } from '@renderer/lib/form-values'
import { loadQueuedRequests, QUEUE_STORAGE_KEY } from '@renderer/lib/queue-storage'
import { checkRunRecord } from '@renderer/lib/storage/run-record'

/*
 * Fuzz: what the renderer reads back from storage (run records, the saved queue) and what is typed into
 * the settings form. 10,000 cases each; every input gives a value or a reason, never an exception.
 * (The engine-side fuzz suites live in test/engine/fuzz.)
 */

const fuzzParameters = (numRuns = 10_000): fc.Parameters<unknown> => ({ numRuns })

describe('fuzz: stored run readers', () => {
  it('run records: a record or a short reason, never an exception', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything({ maxDepth: 3 }),
          fc.record({
            version: fc.constantFrom(1, 2, '1'),
            id: fc.string({ maxLength: 12 }),
            config: fc.constantFrom(...PRESETS.map((p) => p.config)),
            status: fc.constantFrom('running', 'completed', 'x'),
            losses: fc.anything({ maxDepth: 1 }),
            evaluations: fc.anything({ maxDepth: 1 })
          })
        ),
        (data) => {
          const checked = checkRunRecord(data)
          if (!checked.ok) {
            expect(checked.reason.length).toBeGreaterThan(3)
            expect(checked.reason.length).toBeLessThan(2000)
          }
        }
      ),
      fuzzParameters()
    )
  })

  it('the saved queue: any text in localStorage gives requests and a count of dropped items', () => {
    const valid = JSON.stringify([{ config: PRESETS[0].config, presetId: PRESETS[0].id, custom: false }])
    const text = fc.oneof(
      fc.string(),
      fc.json(),
      fc.nat({ max: valid.length - 1 }).map((n) => valid.slice(0, n)),
      fc.tuple(fc.nat({ max: valid.length - 1 }), fc.string({ minLength: 1, maxLength: 1 })).map(([at, c]) => valid.slice(0, at) + c + valid.slice(at + 1))
    )
    fc.assert(
      fc.property(text, (stored) => {
        const storage = { getItem: (key: string) => (key === QUEUE_STORAGE_KEY ? stored : null) } as Storage
        const { requests, dropped } = loadQueuedRequests(storage)
        let items: unknown = null
        try {
          items = JSON.parse(stored)
        } catch {
          // not JSON: nothing restored, the text counted as one dropped item (when there was any)
        }
        if (Array.isArray(items)) expect(requests.length + dropped).toBe(items.length)
        else expect({ requests: requests.length, dropped }).toEqual({ requests: 0, dropped: stored ? 1 : 0 })
      }),
      fuzzParameters()
    )
  })
})

describe('fuzz: settings form text', () => {
  it('settings text fields: parseNumber and parseSizes never throw and give a number or NaN', () => {
    const text = fc.oneof(fc.string({ maxLength: 30 }), fc.stringMatching(/^[ ０-９0-9.,．、eE+\-ー]{0,12}$/))
    fc.assert(
      fc.property(text, (typed) => {
        const n = parseNumber(typed)
        expect(Number.isNaN(n) || typeof n === 'number').toBe(true)
        for (const size of parseSizes(typed)) expect(typeof size).toBe('number')
      }),
      fuzzParameters()
    )
  })
})
