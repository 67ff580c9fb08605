import { BatchNorm } from '../layers/batch-norm'
import { ChannelBatchNorm } from '../layers/channel-batch-norm'
import { Conv2D } from '../layers/conv2d'
import { GroupNorm } from '../layers/group-norm'
import type { Layer } from '../layers/layer'
import { LayerNorm } from '../layers/layer-norm'
import { Relu } from '../layers/relu'
import { Sigmoid } from '../layers/sigmoid'
import { Tanh } from '../layers/tanh'
import { EngineError } from '../protocol/error-codes'
import { argmax, type ClassOutput } from './class-output'
import { sumChannels, type ChannelReduction } from './channel-maps'
import { gradCam } from './grad-cam'
import { gradientTimesInput, smoothGrad, SMOOTHGRAD_DEFAULTS, vanillaGradient } from './gradient-methods'
import type { InferenceCopy } from './inference-copy'
import { INTEGRATED_DEFAULTS, integratedGradients, type Completeness, type IntegrationRule } from './integrated-gradients'
import { occlusion, occlusionDefaults } from './occlusion'

/** The attribution methods, by the names the protocol and the CLI use. */
export const EXPLANATION_METHODS = ['saliency', 'gradxinput', 'smoothgrad', 'integrated', 'occlusion', 'gradcam'] as const
export type ExplanationMethod = (typeof EXPLANATION_METHODS)[number]

/** Every method's settings; each method reads its own and ignores the rest. */
export interface ExplanationOptions {
  /** Explain the class's score before softmax (default) or its softmax probability. */
  output?: ClassOutput
  /** SmoothGrad */
  samples?: number
  noise?: number
  seed?: number
  /** Integrated gradients */
  steps?: number
  rule?: IntegrationRule
  /** Integrated gradients' baseline image and occlusion's patch: this value everywhere (0 = black). */
  baseline?: number
  /** Occlusion */
  patch?: number
  stride?: number
}

export interface ExplanationRequest {
  method: string
  /** The class explained; the predicted one when absent. */
  class?: number
  /** Grad-CAM's conv layer, by name; the last conv layer when absent. */
  layer?: string
  options?: ExplanationOptions
}

export interface Explanation {
  method: ExplanationMethod
  class: number
  predicted: number
  /** Class scores before softmax. */
  scores: number[]
  output: ClassOutput
  height: number
  width: number
  /** H×W, row-major; larger = more important. */
  map: Float64Array
  /** How the pixel methods' channels became the map; 'none' for maps made per pixel (occlusion, Grad-CAM). */
  reduction: ChannelReduction | 'none'
  /** The signed attribution per input value ([C, H, W]) of the pixel methods. */
  channelMaps?: Float64Array
  layer?: string
  completeness?: Completeness
  /** The settings the method ran with, defaults filled in. */
  settings: Record<string, number | string>
}

/**
 * Explains the copy's answer for one image ([C, H, W] values in [0, 1], laid out as the network takes
 * them). The copy must be in sync with its source. Bad requests are INVALID_REQUEST errors in one line.
 */
export function explainImage(copy: InferenceCopy, image: Float64Array, shape: readonly [number, number, number], request: ExplanationRequest): Explanation {
  const method = checkMethod(request.method)
  const [, height, width] = shape
  if (image.length !== copy.imageSize) throw invalid(`the model takes ${copy.imageSize} values per image, the image has ${image.length}`)
  const scores = Array.from(copy.forward(image, 1).data)
  const predicted = argmax(scores)
  const target = request.class ?? predicted
  if (!Number.isInteger(target) || target < 0 || target >= copy.classCount)
    throw invalid(`class ${target} is not one of the model's classes (0 to ${copy.classCount - 1})`)
  const options = request.options ?? {}
  const output = options.output ?? 'score'
  const base = { method, class: target, predicted, scores, output, height, width }
  const pixels = (values: Float64Array, reduction: ChannelReduction, settings: Explanation['settings'], completeness?: Completeness): Explanation => ({
    ...base,
    map: sumChannels(values, shape, reduction),
    reduction,
    channelMaps: values,
    settings,
    ...(completeness ? { completeness } : {})
  })
  switch (method) {
    case 'saliency':
      return pixels(vanillaGradient(copy, image, target, output), 'absolute', {})
    case 'gradxinput':
      return pixels(gradientTimesInput(copy, image, target, output), 'signed', {})
    case 'smoothgrad': {
      const settings = {
        samples: options.samples ?? SMOOTHGRAD_DEFAULTS.samples,
        noise: options.noise ?? SMOOTHGRAD_DEFAULTS.noise,
        seed: options.seed ?? SMOOTHGRAD_DEFAULTS.seed
      }
      return pixels(smoothGrad(copy, image, target, output, settings), 'absolute', settings)
    }
    case 'integrated': {
      const settings = {
        steps: options.steps ?? INTEGRATED_DEFAULTS.steps,
        rule: options.rule ?? INTEGRATED_DEFAULTS.rule,
        baseline: options.baseline ?? INTEGRATED_DEFAULTS.baseline
      }
      const { attributions, completeness } = integratedGradients(copy, image, target, output, settings)
      return pixels(attributions, 'signed', settings, completeness)
    }
    case 'occlusion': {
      const defaults = occlusionDefaults(height, width)
      const settings = { patch: options.patch ?? defaults.patch, stride: options.stride ?? defaults.stride, baseline: options.baseline ?? defaults.baseline }
      if (settings.patch > Math.min(height, width)) throw invalid(`an occlusion patch of ${settings.patch} pixels does not fit a ${height}×${width} image`)
      return { ...base, map: occlusion(copy, image, shape, target, output, settings), reduction: 'none', settings }
    }
    case 'gradcam': {
      const index = convLayerIndex(copy, request.layer)
      const block = convBlockEnd(copy.network.layers, index)
      const cam = gradCam(copy, image, height, width, target, output, block)
      const layer = copy.network.layers[index].name
      const maps = copy.network.layers[block].name
      return { ...base, map: cam.map, reduction: 'none', layer, settings: { layer, maps, upsampling: `bilinear from ${cam.coarseHeight}×${cam.coarseWidth}` } }
    }
  }
}

/** Layers that follow a conv position by position and keep its [K, h, w] maps: its normalization and activation. */
const BLOCK_LAYERS = [BatchNorm, ChannelBatchNorm, GroupNorm, LayerNorm, Relu, Sigmoid, Tanh]

/**
 * Grad-CAM's maps A of conv layer `index`: the output of its block — the conv and the normalization and
 * activation right after it, up to the next pooling, dropout, conv or affine layer. That is what
 * Selvaraju et al.'s conv layers give (a framework's conv layer includes its ReLU), and it keeps A ≥ 0
 * after a ReLU, so that Σ_k w_k A_k weighs evidence that is there.
 */
export function convBlockEnd(layers: readonly Layer[], index: number): number {
  let end = index
  while (end + 1 < layers.length && BLOCK_LAYERS.some((kind) => layers[end + 1] instanceof kind)) end++
  return end
}

function checkMethod(method: string): ExplanationMethod {
  if ((EXPLANATION_METHODS as readonly string[]).includes(method)) return method as ExplanationMethod
  throw invalid(`unknown method "${method}": use ${EXPLANATION_METHODS.join(', ')}`)
}

/** The named conv layer, or the last conv layer; anything else is a bad request. */
export function convLayerIndex(copy: InferenceCopy, name: string | undefined): number {
  const layers = copy.network.layers
  const convs = layers.filter((layer) => layer instanceof Conv2D).map((layer) => layer.name)
  if (name === undefined) {
    if (convs.length === 0) throw invalid('Grad-CAM needs a conv layer, and this network has none')
    return layers.findIndex((layer) => layer.name === convs.at(-1))
  }
  const index = layers.findIndex((layer) => layer.name === name)
  if (index < 0) throw invalid(`the network has no layer "${name}"; its layers are ${layers.map((l) => l.name).join(', ')}`)
  if (!(layers[index] instanceof Conv2D))
    throw invalid(`Grad-CAM needs a conv layer: "${name}" is not one${convs.length ? ` (conv layers: ${convs.join(', ')})` : ''}`)
  return index
}

function invalid(message: string): EngineError {
  return new EngineError('INVALID_REQUEST', message)
}
