/**
 * cnn-simple trained for 200 iterations of batch 50 on the bundled MNIST's first 2,000 training images
 * (float32, as the app trains), beside the same architecture with fresh weights drawn as the preset draws
 * them (another seed): the pair the explanation and embedding tests compare.
 */
import { BUNDLED_MNIST_DIR } from '../../../src/cli/engine-connection'
import type { RunConfig } from '../../../src/engine/config/run-config'
import { Random } from '../../../src/engine/core/random'
import { decodeMnist } from '../../../src/engine/data/mnist'
import type { ImageDataset } from '../../../src/engine/data/image-set'
import { InferenceCopy } from '../../../src/engine/explain/inference-copy'
import { readIdxDirectory } from '../../../src/engine/hosts/node/read-idx-dir'
import { buildNetwork } from '../../../src/engine/model/build'
import { PRESETS } from '../../../src/engine/presets'
import { Trainer } from '../../../src/engine/train/trainer'

export interface TrainedCnn {
  data: ImageDataset
  trained: InferenceCopy
  untrained: InferenceCopy
  /** The trained net's accuracy on its 500 test images. */
  testAccuracy: number
}

export async function trainCnnSimple(): Promise<TrainedCnn> {
  const data = await decodeMnist('bundled', await readIdxDirectory(BUNDLED_MNIST_DIR))
  const preset = PRESETS.find((p) => p.id === 'cnn-simple')!
  const config: RunConfig = { ...preset.config, iterations: 200, batchSize: 50, evalInterval: 200, trainLimit: 2000, testLimit: 500 }
  const trainer = new Trainer(config, data)
  while (!trainer.finished) trainer.step()
  const testAccuracy = trainer.accuracy(trainer.test)
  const trained = new InferenceCopy(trainer.network, config.network)
  trained.sync()
  const random = buildNetwork(config.network, trainer.inputShape, new Random(12345), config.precision, 10)
  const untrained = new InferenceCopy(random, config.network)
  untrained.sync()
  return { data, trained, untrained, testAccuracy }
}
