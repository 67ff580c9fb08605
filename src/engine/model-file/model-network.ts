import { Random } from '../core/random'
import { buildNetwork } from '../model/build'
import type { Network } from '../model/network'
import { loadNetworkTensors, type ModelFile } from './model-file'

/**
 * Builds the network a model file describes, with its weights and running statistics. Apart from the
 * reader (model-file.ts), which the renderer uses and which must not pull in the layers and their kernels.
 */
export function networkFromModelFile(file: ModelFile): Network {
  const { config, inputShape, precision, classes } = file.summary
  const network = buildNetwork(config.network, inputShape, new Random(config.seed), precision, classes.length)
  loadNetworkTensors(file, network)
  return network
}
