/**
 * ONNX export (opset 13) of every network the lab trains, in inference form: batch norm with its running
 * statistics folded into a scale and a shift, the course's dropout as its ×(1−p) test-time scale (inverted
 * dropout is the identity), layer, group and instance norm decomposed into basic ops. The input is
 * float32 pixels in [0, 1] (byte / 255), [N, C·H·W] for an MLP and [N, C, H, W] for a conv net ([N, 784]
 * and [N, 1, 28, 28] for MNIST); the output `scores` is one score per class (before softmax).
 *
 * Written with onnx-proto (protobufjs messages generated from the official onnx.proto).
 */
import { onnx } from 'onnx-proto'
import type { RunConfig } from '../config/run-config'
import { Affine } from '../layers/affine'
import { AvgPool2D } from '../layers/avg-pool'
import { BatchNorm } from '../layers/batch-norm'
import { ChannelBatchNorm } from '../layers/channel-batch-norm'
import { Conv2D } from '../layers/conv2d'
import { Dropout } from '../layers/dropout'
import { Flatten } from '../layers/flatten'
import { GroupNorm } from '../layers/group-norm'
import type { Layer } from '../layers/layer'
import { LayerNorm } from '../layers/layer-norm'
import { MaxPool2D } from '../layers/max-pool'
import { Relu } from '../layers/relu'
import { Sigmoid } from '../layers/sigmoid'
import { Tanh } from '../layers/tanh'
import type { Network } from '../model/network'
import { EngineError } from '../protocol/error-codes'
import { version as APP_VERSION } from '../../../package.json'

export const ONNX_OPSET = 13
const FLOAT = onnx.TensorProto.DataType.FLOAT
const INT64 = onnx.TensorProto.DataType.INT64

/** Builds the graph node by node, naming every value after the layer that makes it. */
class GraphBuilder {
  readonly nodes: onnx.INodeProto[] = []
  readonly initializers: onnx.ITensorProto[] = []
  private counter = 0

  constant(name: string, dims: readonly number[], values: ArrayLike<number>): string {
    const data = Float32Array.from(values as ArrayLike<number>)
    this.initializers.push({ name, dims: [...dims], dataType: FLOAT, rawData: new Uint8Array(data.buffer) })
    return name
  }

  ints(name: string, values: readonly number[]): string {
    this.initializers.push({ name, dims: [values.length], dataType: INT64, int64Data: [...values] })
    return name
  }

  node(opType: string, inputs: string[], prefix: string, attributes: onnx.IAttributeProto[] = []): string {
    const output = `${prefix}_${opType.toLowerCase()}${this.counter++}`
    this.nodes.push({ opType, input: inputs, output: [output], name: output, attribute: attributes })
    return output
  }
}

const intsAttr = (name: string, ints: number[]): onnx.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints })
const intAttr = (name: string, i: number): onnx.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INT, i })

export function exportOnnx(network: Network, config: RunConfig): Uint8Array {
  const g = new GraphBuilder()
  const inputShape = [...network.inputShape]
  let current = 'pixels'
  let shape = inputShape
  for (const layer of network.layers) {
    current = emitLayer(g, layer, current, shape)
    shape = layer.outputShape(shape)
  }
  g.nodes.push({ opType: 'Identity', input: [current], output: ['scores'], name: 'scores' })

  const dims = (sample: number[]) => [{ dimParam: 'N' }, ...sample.map((d) => ({ dimValue: d }))]
  const model: onnx.IModelProto = {
    irVersion: 7,
    producerName: 'Gradient Lab',
    producerVersion: APP_VERSION,
    docString: `${config.network.kind === 'mlp' ? 'MLP' : 'conv net'} trained in Gradient Lab; input pixels in [0, 1], output the ${network.classCount} class scores`,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    graph: {
      name: 'gradient_lab',
      node: g.nodes,
      initializer: g.initializers,
      input: [{ name: 'pixels', type: { tensorType: { elemType: FLOAT, shape: { dim: dims(inputShape) } } } }],
      output: [{ name: 'scores', type: { tensorType: { elemType: FLOAT, shape: { dim: dims(shape) } } } }]
    }
  }
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish()
}

function emitLayer(g: GraphBuilder, layer: Layer, x: string, shape: number[]): string {
  const p = layer.name
  if (layer instanceof Affine) {
    const flat = shape.length > 1 ? g.node('Flatten', [x], p, [intAttr('axis', 1)]) : x
    return g.node('Gemm', [flat, g.constant(`${p}.W`, layer.W.shape, layer.W.value), g.constant(`${p}.b`, layer.b.shape, layer.b.value)], p)
  }
  if (layer instanceof Relu) return g.node('Relu', [x], p)
  if (layer instanceof Sigmoid) return g.node('Sigmoid', [x], p)
  if (layer instanceof Tanh) return g.node('Tanh', [x], p)
  if (layer instanceof Flatten) return g.node('Flatten', [x], p, [intAttr('axis', 1)])
  if (layer instanceof Dropout) {
    // Inverted dropout scales in training only; the course's scales by (1 − p) at test time.
    return layer.mode === 'course' ? g.node('Mul', [x, g.constant(`${p}.scale`, [], [1 - layer.ratio])], p) : x
  }
  if (layer instanceof BatchNorm || layer instanceof ChannelBatchNorm) {
    const eps = layer.options.epsilon
    const scale = Array.from(layer.gamma.value, (gamma, j) => gamma / Math.sqrt(layer.runningVar[j] + eps))
    const shift = Array.from(layer.beta.value, (beta, j) => beta - layer.runningMean[j] * scale[j])
    // Per value of the sample (the course's form) or per channel of a map.
    const dims = layer instanceof BatchNorm ? shape : [shape[0], 1, 1]
    const scaled = g.node('Mul', [x, g.constant(`${p}.scale`, dims, scale)], p)
    return g.node('Add', [scaled, g.constant(`${p}.shift`, dims, shift)], p)
  }
  if (layer instanceof GroupNorm) {
    const grouped = g.node('Reshape', [x, g.ints(`${p}.grouped`, [0, layer.groups, -1])], p)
    const normal = normalize(g, grouped, [2], layer.epsilon, p)
    const back = g.node('Reshape', [normal, g.ints(`${p}.shape`, [0, ...shape])], p)
    const scaled = g.node('Mul', [back, g.constant(`${p}.gamma`, [shape[0], 1, 1], layer.gamma.value)], p)
    return g.node('Add', [scaled, g.constant(`${p}.beta`, [shape[0], 1, 1], layer.beta.value)], p)
  }
  if (layer instanceof LayerNorm) {
    const axes = shape.map((_, i) => i + 1)
    const normal = normalize(g, x, axes, layer.epsilon, p)
    const scaled = g.node('Mul', [normal, g.constant(`${p}.gamma`, shape, layer.gamma.value)], p)
    return g.node('Add', [scaled, g.constant(`${p}.beta`, shape, layer.beta.value)], p)
  }
  if (layer instanceof Conv2D) {
    return g.node('Conv', [x, g.constant(`${p}.W`, layer.W.shape, layer.W.value), g.constant(`${p}.b`, layer.b.shape, layer.b.value)], p, [
      intsAttr('kernel_shape', [layer.fh, layer.fw]),
      intsAttr('strides', [layer.stride, layer.stride]),
      intsAttr('pads', [layer.pad, layer.pad, layer.pad, layer.pad])
    ])
  }
  if (layer instanceof MaxPool2D || layer instanceof AvgPool2D) {
    // The course pads with zeros that take part in the max and the mean: an explicit zero Pad, then the pool.
    const padded = layer.pad > 0 ? g.node('Pad', [x, g.ints(`${p}.pads`, [0, 0, layer.pad, layer.pad, 0, 0, layer.pad, layer.pad])], p) : x
    const op = layer instanceof MaxPool2D ? 'MaxPool' : 'AveragePool'
    return g.node(op, [padded], p, [intsAttr('kernel_shape', [layer.size, layer.size]), intsAttr('strides', [layer.stride, layer.stride])])
  }
  throw new EngineError('INVALID_REQUEST', `ONNX export does not know the layer "${layer.name}" (${layer.constructor.name})`)
}

/** (x − mean) / √(var + ε) over `axes`, as the engine's layer, group and instance norms compute it. */
function normalize(g: GraphBuilder, x: string, axes: number[], epsilon: number, p: string): string {
  const mean = g.node('ReduceMean', [x], p, [intsAttr('axes', axes), intAttr('keepdims', 1)])
  const centred = g.node('Sub', [x, mean], p)
  const variance = g.node('ReduceMean', [g.node('Mul', [centred, centred], p)], p, [intsAttr('axes', axes), intAttr('keepdims', 1)])
  const std = g.node('Sqrt', [g.node('Add', [variance, g.constant(`${p}.epsilon`, [], [epsilon])], p)], p)
  return g.node('Div', [centred, std], p)
}
