import type { Evaluation } from '@engine/protocol'
import type { ModelSummary } from '@engine/model-file/model-file'

/*
 * Which test images a saved model's accuracy was measured on. A model file keeps its run's last
 * evaluation: the final one uses the run's whole test split, an intermediate one (a checkpoint saved while
 * paused, an autosave) only the first `evalSubset` images, and a run with a test limit only its first
 * `testLimit` images. *Evaluate* in the library always uses all test images of the loaded data, so the two
 * figures can differ; saying which images each counted explains why.
 */

export type AccuracyBasis =
  /** The first `images` test images (of `of` in the data, when known). */
  | { kind: 'first'; images: number; of: number | null }
  /** Every test image: `images` of them when the count is known. */
  | { kind: 'all'; images: number | null }

/**
 * @param lastEvaluation a checkpoint's last evaluation (its `subset` says the counts), null for a plain model
 * @param testImages the test images of the model's data set when the loaded set is that one, else null
 */
export function accuracyBasis(
  summary: Pick<ModelSummary, 'config' | 'metrics'>,
  lastEvaluation: Pick<Evaluation, 'iter' | 'subset'> | null,
  testImages: number | null
): AccuracyBasis | null {
  const metrics = summary.metrics
  if (!metrics || metrics.testAcc === null) return null
  const { config } = summary
  // The run's own test split: its first testLimit images ("at most": a smaller set is used whole).
  const limited = config.testLimit !== undefined && (testImages === null || config.testLimit < testImages)
  const runTest = limited ? (config.testLimit as number) : testImages
  const of = testImages

  if (lastEvaluation && lastEvaluation.iter === metrics.iter) {
    if (lastEvaluation.subset) return { kind: 'first', images: lastEvaluation.subset.test, of }
  } else if (metrics.iter !== config.iterations && config.evalSubset !== undefined && (runTest === null || config.evalSubset < runTest)) {
    // No evaluation record (a plain model): the trainer's rule, intermediate evaluations on the first evalSubset.
    return { kind: 'first', images: config.evalSubset, of }
  }
  return limited ? { kind: 'first', images: runTest as number, of } : { kind: 'all', images: testImages }
}

/** The i18n key and parameters that say it: "on the first 1,000 of 2,000 test images", "on all 2,000 test images". */
export function accuracyBasisText(basis: AccuracyBasis, formatNumber: (n: number) => string): { key: string; params: Record<string, string> } {
  if (basis.kind === 'first') {
    return basis.of === null
      ? { key: 'models.basisFirst', params: { images: formatNumber(basis.images) } }
      : { key: 'models.basisFirstOf', params: { images: formatNumber(basis.images), of: formatNumber(basis.of) } }
  }
  return basis.images === null ? { key: 'models.basisAllUnknown', params: {} } : { key: 'models.basisAll', params: { images: formatNumber(basis.images) } }
}
