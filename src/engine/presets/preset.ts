import type { RunConfig } from '../config/run-config'

/**
 * A course experiment, ready to run. `config.seed` is the default seed; the id is a contract shared by
 * the CLI, the UI and saved runs, so it never changes.
 */
export interface Preset {
  id: string
  /** Lesson id for grouping, e.g. 'vanishing-gradient'. */
  lesson: string
  title: string
  /** One line for the gallery. */
  summary: string
  /** What the experiment shows and which notebook it reproduces. */
  description: string
  /** Course quirks kept or corrected, each stated plainly. */
  quirks: string[]
  config: RunConfig
}
