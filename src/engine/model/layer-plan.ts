/**
 * The shapes and costs of a layer list before anything trains: per layer its output shape, parameter count
 * and multiply-adds per image, or the reason it does not fit. The layer editor shows this live, on the
 * renderer's main thread: the shapes come from layer-shapes.ts, pure arithmetic that a test holds against
 * the layers a run builds, so the editor cannot disagree with the network and needs none of its kernels.
 */
import { LayerSpecSchema, type LayerSpec } from '../config/run-config'
import { classScoresProblem, fitClassCount, layerShape, NAME_STEM } from './layer-shapes'

export interface PlannedLayer {
  index: number
  kind: string
  /** conv1, affine2, …: the names the run's layers and parameters will have */
  name: string
  /** One image's output shape; null when this layer or one before it does not fit. */
  outputShape: number[] | null
  params: number
  /** Multiply-adds per image (convolutions and affine layers; the rest are counted as free). */
  macs: number
  problem: string | null
  /** Set on the last affine layer when the data's class count replaces the units it names. */
  classUnits: number | null
}

export interface LayerPlan {
  rows: PlannedLayer[]
  params: number
  macs: number
  /** The stack as a whole: it must end in one score per class. */
  problem: string | null
  ok: boolean
}

export const MNIST_MAP_SHAPE: readonly number[] = [1, 28, 28]

/**
 * `classCount` is the data set's: the last valid affine layer is planned with that many units, as the
 * run would build it (layer-shapes.ts fitClassCount).
 */
export function planLayers(layers: readonly unknown[], inputShape: readonly number[] = MNIST_MAP_SHAPE, classCount = 10): LayerPlan {
  const parsedSpecs = layers.map((raw) => LayerSpecSchema.safeParse(raw))
  const fitted = fitClassCount(
    parsedSpecs.map((p) => (p.success ? p.data : { kind: 'flatten' as const })),
    classCount
  )
  const counts = new Map<string, number>()
  const rows: PlannedLayer[] = []
  let shape: number[] | null = [...inputShape]
  layers.forEach((raw, index) => {
    const parsed = parsedSpecs[index]
    const kind = typeof (raw as { kind?: unknown })?.kind === 'string' ? (raw as { kind: string }).kind : '?'
    const nth = (counts.get(kind) ?? 0) + 1
    counts.set(kind, nth)
    const name = `${NAME_STEM[kind as LayerSpec['kind']] ?? kind}${nth}`
    const fittedUnits = (fitted[index] as { units?: number }).units
    const namedUnits = parsed.success ? (parsed.data as { units?: number }).units : undefined
    const classUnits = fittedUnits !== undefined && fittedUnits !== namedUnits ? fittedUnits : null
    const row: PlannedLayer = { index, kind, name, outputShape: null, params: 0, macs: 0, problem: null, classUnits }
    rows.push(row)
    if (!parsed.success) {
      row.problem = parsed.error.issues[0]?.message ?? 'invalid layer'
      shape = null
      return
    }
    if (!shape) return
    try {
      const layer = layerShape(fitted[index], name, shape)
      row.params = layer.params.reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0)
      row.macs = layer.macs
      row.outputShape = layer.outputShape
      shape = layer.outputShape
    } catch (error) {
      if (!(error instanceof RangeError)) throw error
      row.problem = `does not fit its input [${shape.join(', ')}]: ${error.message}`
      shape = null
    }
  })
  let problem: string | null = null
  if (layers.length === 0) problem = 'the network needs at least one layer'
  else if (shape) problem = classScoresProblem(shape, classCount)
  const params = rows.reduce((n, r) => n + r.params, 0)
  const macs = rows.reduce((n, r) => n + r.macs, 0)
  return { rows, params, macs, problem, ok: problem === null && rows.every((r) => r.problem === null) }
}
