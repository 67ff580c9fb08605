import { classOutputGradient, classOutputValue, type ClassOutput } from './class-output'
import type { InferenceCopy } from './inference-copy'

/** Images per forward/backward pass: large enough to use the matrix products well, small enough for cnn-deep's maps. */
const CHUNK = 16

export interface InputGradients {
  /** ∂f/∂x for each image, one after the other (count × C·H·W). */
  gradients: Float64Array
  /** f(x) for each image: the explained class's score or probability. */
  outputs: Float64Array
}

/**
 * ∂f/∂x of one class's output f for `count` images laid out one after the other, by the copy's own
 * forward and backward passes in inference mode, in chunks.
 */
export function inputGradients(copy: InferenceCopy, images: Float64Array, count: number, target: number, output: ClassOutput): InputGradients {
  const size = copy.imageSize
  const classes = copy.classCount
  const gradients = new Float64Array(count * size)
  const outputs = new Float64Array(count)
  for (let start = 0; start < count; start += CHUNK) {
    const rows = Math.min(CHUNK, count - start)
    const scores = copy.forward(images.subarray(start * size, (start + rows) * size), rows).data
    for (let i = 0; i < rows; i++) outputs[start + i] = classOutputValue(scores, i, classes, target, output)
    const dx = copy.backward(classOutputGradient(scores, rows, classes, target, output))
    gradients.set(dx.data, start * size)
  }
  return { gradients, outputs }
}

/** f(x) for `count` images, forward passes only, in chunks. */
export function classOutputs(copy: InferenceCopy, images: Float64Array, count: number, target: number, output: ClassOutput): Float64Array {
  const size = copy.imageSize
  const classes = copy.classCount
  const outputs = new Float64Array(count)
  for (let start = 0; start < count; start += CHUNK) {
    const rows = Math.min(CHUNK, count - start)
    const scores = copy.forward(images.subarray(start * size, (start + rows) * size), rows).data
    for (let i = 0; i < rows; i++) outputs[start + i] = classOutputValue(scores, i, classes, target, output)
  }
  return outputs
}
