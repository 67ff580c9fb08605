import { EngineError } from '../../protocol/error-codes'

/** Every import problem is DATASET_INVALID with one line that names the file or the problem. */
export const invalid = (message: string): EngineError => new EngineError('DATASET_INVALID', message)

/** What a cancelled import throws; `details.cancelled` tells it apart from bad data. */
export const cancelled = (name: string): EngineError => new EngineError('DATASET_INVALID', `import of "${name}" was cancelled`, { cancelled: true })
