/**
 * The one place that knows how the engine stores numbers: a parameter, a gradient, an optimizer's buffer
 * or an activation is a `FloatArray` of the run's `Precision`. Everything that must agree on it asks here:
 * the layers when they allocate, the model file when it writes a tensor's dtype (it stores exactly what
 * the engine holds, so a round trip is bit-exact) and when it reads one back, the ONNX export.
 *
 * float64 is the course's precision (numpy's default); float32 is the fast one.
 */
export type Precision = 'float32' | 'float64'
export type FloatArray = Float32Array | Float64Array

export const PRECISIONS: readonly Precision[] = ['float32', 'float64']

/** The precision a run uses when its settings do not name one. */
export const DEFAULT_PRECISION: Precision = 'float32'

/** A zeroed array of `length` values in `precision`. */
export function allocateFloats(precision: Precision, length: number): FloatArray {
  return precision === 'float32' ? new Float32Array(length) : new Float64Array(length)
}

/** The precision an array holds (by its element size: true across realms and subclasses too). */
export function precisionOf(array: FloatArray): Precision {
  return array.BYTES_PER_ELEMENT === 4 ? 'float32' : 'float64'
}

export function isFloat32(array: FloatArray): array is Float32Array {
  return array.BYTES_PER_ELEMENT === 4
}

export function bytesPerValue(precision: Precision): number {
  return precision === 'float32' ? 4 : 8
}

/** safetensors' names for the two dtypes (its specification spells them F32 and F64). */
export type SafetensorsDtype = 'F32' | 'F64'

export function safetensorsDtype(precision: Precision): SafetensorsDtype {
  return precision === 'float32' ? 'F32' : 'F64'
}

/** The precision of a safetensors dtype, or undefined for one the engine does not hold (F16, I64, …). */
export function precisionOfSafetensorsDtype(dtype: string): Precision | undefined {
  return dtype === 'F32' ? 'float32' : dtype === 'F64' ? 'float64' : undefined
}
