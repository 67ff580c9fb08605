import type { FieldProblem, RunConfig } from './run-config'

/** What the checks need of a dataset: the engine's decoded one and the renderer's DatasetInfo both fit. */
export interface DatasetSizes {
  name: string
  train: { count: number }
  test: { count: number }
}

/**
 * The checks a valid config can only pass or fail against a particular dataset. The engine refuses a run
 * with these problems; the settings form shows the same messages next to the fields before that.
 */
export function datasetProblems(config: RunConfig, dataset: DatasetSizes): FieldProblem[] {
  const problems: FieldProblem[] = []
  const trainCount = Math.min(dataset.train.count, config.trainLimit ?? Infinity)
  if (config.trainLimit !== undefined && config.trainLimit > dataset.train.count) {
    problems.push({ field: 'trainLimit', message: `${config.trainLimit} exceeds the ${dataset.train.count} training images of "${dataset.name}"` })
  }
  if (config.testLimit !== undefined && config.testLimit > dataset.test.count) {
    problems.push({ field: 'testLimit', message: `${config.testLimit} exceeds the ${dataset.test.count} test images of "${dataset.name}"` })
  }
  if (config.batchSize > trainCount) {
    problems.push({ field: 'batchSize', message: `${config.batchSize} is larger than the ${trainCount} training images in use` })
  }
  return problems
}
