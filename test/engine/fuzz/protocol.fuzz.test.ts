import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createInProcessChannel } from '../../../src/engine/hosts/in-process'
import { CommandSchema, ERROR_CODES, EventSchema, PROTOCOL_VERSION, type EngineEvent } from '../../../src/engine/protocol'
import { createEngineSession } from '../../../src/engine/session/session'
import { PRESETS } from '../../../src/engine/presets'
import { fuzzParameters } from './fuzz-support'

/*
 * The protocol's message validation against arbitrary input. A session fed
 * garbage answers with schema-valid `error` events and keeps working; nothing throws past a validator.
 */

const TYPES = ['hello', 'loadDataset', 'startRun', 'pauseRun', 'resumeRun', 'stopRun', 'getFilters', 'getFeatureMaps', 'getIm2col', 'bogus']

/** Messages that look like commands: a known type with arbitrary fields, or anything at all. */
const commandLike = fc.oneof(
  fc.record(
    {
      type: fc.constantFrom(...TYPES),
      protocolVersion: fc.oneof(fc.constant(PROTOCOL_VERSION), fc.integer(), fc.double()),
      runId: fc.oneof(fc.string({ maxLength: 8 }), fc.string({ minLength: 201, maxLength: 210 }), fc.anything()),
      requestId: fc.oneof(fc.string({ maxLength: 8 }), fc.anything()),
      layer: fc.oneof(fc.constantFrom('conv1', 'affine1'), fc.string({ maxLength: 8 })),
      split: fc.constantFrom('train', 'test', 'dev', 3),
      index: fc.oneof(fc.nat(), fc.integer(), fc.double()),
      name: fc.string({ maxLength: 12 }),
      config: fc.oneof(fc.constantFrom(...PRESETS.map((p) => p.config)), fc.anything({ maxDepth: 2 })),
      files: fc.oneof(
        fc.record({
          trainImages: fc.uint8Array({ maxLength: 40 }),
          trainLabels: fc.uint8Array({ maxLength: 40 }),
          testImages: fc.uint8Array({ maxLength: 40 }),
          testLabels: fc.uint8Array({ maxLength: 40 })
        }),
        fc.anything({ maxDepth: 2 })
      )
    },
    { requiredKeys: ['type'] }
  ),
  fc.anything({ maxDepth: 3 })
)

describe('fuzz: protocol message validation', () => {
  it('CommandSchema: a typed command or issues with paths, never an exception', () => {
    fc.assert(
      fc.property(commandLike, (message) => {
        const parsed = CommandSchema.safeParse(message)
        if (!parsed.success) expect(parsed.error.issues.length).toBeGreaterThan(0)
      }),
      fuzzParameters()
    )
  })

  it('EventSchema (what the renderer and CLI accept from the engine): valid or rejected, never an exception', () => {
    const eventLike = fc.oneof(
      fc.record(
        {
          type: fc.constantFrom('ready', 'progress', 'evaluation', 'runFinished', 'error', 'filters', 'x'),
          code: fc.constantFrom(...ERROR_CODES, 'NOPE'),
          message: fc.anything(),
          runId: fc.anything(),
          iter: fc.anything(),
          evaluation: fc.anything({ maxDepth: 2 })
        },
        { requiredKeys: ['type'] }
      ),
      fc.anything({ maxDepth: 3 })
    )
    fc.assert(
      fc.property(eventLike, (message) => void EventSchema.safeParse(message)),
      fuzzParameters()
    )
  })

  it('a live session answers every hostile message with valid events and still says hello afterwards', async () => {
    const session = createEngineSession()
    const { enginePort, clientPort } = createInProcessChannel()
    session.attach(enginePort)
    const events: EngineEvent[] = []
    clientPort.onMessage((raw) => events.push(EventSchema.parse(raw)))
    const settle = () => new Promise((resolve) => setImmediate(resolve))

    await fc.assert(
      fc.asyncProperty(commandLike, async (message) => {
        events.length = 0
        clientPort.postMessage(message)
        await settle()
        const parsed = CommandSchema.safeParse(message)
        if (!parsed.success) {
          expect(events).toHaveLength(1)
          expect(events[0]).toMatchObject({ type: 'error', code: 'INVALID_MESSAGE' })
          expect((events[0] as { message: string }).message).toMatch(/^invalid message \(.+\)$/)
        }
        for (const event of events) {
          // No dataset is ever loaded by garbage, so no run starts; INTERNAL would mean an unhandled throw.
          expect(event.type).not.toBe('runStarted')
          if (event.type === 'error') expect(event.code).not.toBe('INTERNAL')
        }
      }),
      fuzzParameters()
    )
    events.length = 0
    clientPort.postMessage({ type: 'hello', protocolVersion: PROTOCOL_VERSION })
    await settle()
    expect(events.map((e) => e.type)).toEqual(['ready'])
  }, 60_000)
})
