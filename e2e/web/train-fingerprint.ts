import type { RunConfig } from '../../src/engine/config/run-config'
import type { ImageDataset } from '../../src/engine/data/image-set'
import { Trainer } from '../../src/engine/train/trainer'
import { backendKind } from '../../src/engine/kernels/backend'
import { installWasmBackends } from '../../src/engine/kernels/install-wasm-backends'

// Node and the worker each stand for an engine host here, so they run on the WebAssembly kernels as hosts do.
installWasmBackends()

/** What a short run gives, to compare between hosts: every loss and accuracy, and a hash of every weight. */
export interface TrainFingerprint {
  losses: number[]
  accuracies: (number | undefined)[]
  weightsHash: string
  /** The backend that computed ('wasm' on both sides, or the comparison is not the hosts'). */
  kernels: 'ts' | 'wasm'
}

/** Trains `config` to its end on `dataset` and returns its fingerprint (the same code in Node and in the worker). */
export function trainFingerprint(config: RunConfig, dataset: ImageDataset): TrainFingerprint {
  const trainer = new Trainer(config, dataset)
  const losses: number[] = []
  const accuracies: (number | undefined)[] = []
  while (!trainer.finished) {
    const { loss, evaluation } = trainer.step()
    losses.push(loss)
    if (evaluation) accuracies.push(evaluation.trainAcc, evaluation.testAcc)
  }
  // FNV-1a over every parameter's bytes, in order: one changed bit changes the hash.
  let hash = 0x811c9dc5
  for (const param of trainer.network.params) {
    const bytes = new Uint8Array(param.value.buffer, param.value.byteOffset, param.value.byteLength)
    for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193)
  }
  return { losses, accuracies, weightsHash: (hash >>> 0).toString(16), kernels: backendKind() }
}
