import type { Param } from '../layers/layer'

/** One zero-initialised buffer per parameter, created on first use (an optimizer's v, h, m, …). */
export class PerParam {
  private readonly buffers = new Map<Param, Float64Array>()

  get(param: Param): Float64Array {
    let buffer = this.buffers.get(param)
    if (!buffer) {
      buffer = new Float64Array(param.value.length)
      this.buffers.set(param, buffer)
    }
    return buffer
  }
}
