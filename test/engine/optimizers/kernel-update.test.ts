import { afterEach, describe, expect, it } from 'vitest'
import { Random } from '../../../src/engine/core/random'
import { setBackend } from '../../../src/engine/kernels/backend'
import { makeParam, type Param } from '../../../src/engine/layers/layer'
import { AdaGrad } from '../../../src/engine/optimizers/adagrad'
import { Adam } from '../../../src/engine/optimizers/adam'
import { Momentum } from '../../../src/engine/optimizers/momentum'
import { Nesterov } from '../../../src/engine/optimizers/nesterov'
import type { Optimizer } from '../../../src/engine/optimizers/optimizer'
import { RmsProp } from '../../../src/engine/optimizers/rmsprop'
import { Sgd } from '../../../src/engine/optimizers/sgd'

/*
 * Float32 parameters are updated on the kernels (assembly/f32/optimizer-updates.ts, through the float32 backend), which compute in float64
 * in the optimizers' own order: the same bits as the optimizers' loops (the TypeScript backend), for the
 * values and for every buffer a checkpoint saves, over several steps.
 */
afterEach(() => setBackend('auto'))

const OPTIMIZERS: [string, () => Optimizer][] = [
  ['SGD', () => new Sgd(0.1)],
  ['Momentum', () => new Momentum(0.01, 0.9)],
  ['Nesterov', () => new Nesterov(0.01, 0.9)],
  ['AdaGrad (course)', () => new AdaGrad(0.01, 'course', 1e-4)],
  ['AdaGrad (book)', () => new AdaGrad(0.01, 'book', 0)],
  ['RMSProp', () => new RmsProp(0.01, 0.99)],
  ['Adam', () => new Adam(0.001, 0.9, 0.999)]
]

function train(make: () => Optimizer, backend: 'ts' | 'wasm') {
  setBackend(backend)
  const random = new Random(11)
  const params: Param[] = [makeParam('w', [1003], true, 'float32'), makeParam('b', [7], false, 'float32')]
  for (const p of params) for (let i = 0; i < p.value.length; i++) p.value[i] = random.normal()
  const optimizer = make()
  for (let step = 0; step < 4; step++) {
    for (const p of params) for (let i = 0; i < p.grad.length; i++) p.grad[i] = random.uniform() < 0.1 ? 0 : random.normal() * 0.5
    optimizer.step(params)
  }
  const buffers = Object.values(optimizer.state().slots).flatMap((slot) => slot.entries().map(([, b]) => b))
  return [...params.map((p) => p.value), ...buffers].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength))
}

describe('float32 optimizer updates on the kernels', () => {
  it.each(OPTIMIZERS)('%s: the same bits as its loop, values and buffers, over four steps', (_name, make) => {
    const loops = train(make, 'ts')
    const kernels = train(make, 'wasm')
    expect(kernels.length).toBe(loops.length)
    kernels.forEach((bytes, i) => expect(bytes.equals(loops[i]), `array ${i}`).toBe(true))
  })
})
