import type { FieldProblem, RunConfig } from './run-config'
import { validationCount } from '../data/validation-split'

/** What the checks need of a dataset: the engine's decoded one and the renderer's DatasetInfo both fit. */
export interface DatasetSizes {
  name: string
  train: { count: number }
  test: { count: number }
}

/**
 * The checks a valid config can only pass or fail against a particular dataset. The engine refuses a run
 * with these problems; the settings form shows the same messages next to the fields before that.
 *
 * trainLimit and testLimit are "at most": a set smaller than a preset's limits (an imported one, say)
 * is used whole, so every preset runs on any data set. What must fit is the batch.
 */
export function datasetProblems(config: RunConfig, dataset: DatasetSizes): FieldProblem[] {
  const problems: FieldProblem[] = []
  const limited = Math.min(dataset.train.count, config.trainLimit ?? Infinity)
  const held = config.validation ? validationCount(config.validation, limited) : 0
  if (config.validation && held < 1) problems.push({ field: 'validation', message: `sets no image aside from the ${limited} training images in use` })
  if (held >= limited) problems.push({ field: 'validation', message: `${held} images would leave none of the ${limited} training images in use to train on` })
  const trainCount = limited - held
  if (held < limited && config.batchSize > trainCount) {
    problems.push({ field: 'batchSize', message: `${config.batchSize} is larger than the ${trainCount} training images in use` })
  }
  return problems
}
