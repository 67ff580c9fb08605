/**
 * *Export as a PyTorch project* in the app: a model file becomes the project `lab export --format pytorch`
 * writes, in one .zip (a folder cannot be downloaded). The export code loads on first use only.
 */
import { safeFileName } from './model-storage'

export async function pytorchProjectZip(modelName: string, modelBytes: Uint8Array): Promise<{ fileName: string; bytes: Uint8Array }> {
  const [{ exportPytorchProject }, { zipFiles }] = await Promise.all([import('@engine/export/pytorch/export-pytorch'), import('@engine/export/pytorch/zip')])
  const folder = safeFileName(modelName, 'pytorch').replace(/\./g, '-')
  const files = exportPytorchProject(modelBytes, {
    dataNote:
      'Give the data with `--data`: a folder of MNIST IDX files (the lab bundles its MNIST in resources/mnist), ' +
      "a stored set of the lab's data library (.safetensors), CIFAR binary batches, or class folders."
  })
  return { fileName: `${folder}.zip`, bytes: zipFiles(files.map((file) => ({ path: `${folder}/${file.path}`, contents: file.contents }))) }
}
