/**
 * Stable error codes carried by `error` events and run failures. Other tools match on these strings,
 * so they are never renamed; add new ones at the end.
 */
export const ERROR_CODES = [
  'INVALID_MESSAGE', // a message failed schema validation
  'PROTOCOL_MISMATCH', // client and engine speak different protocol versions
  'DATASET_MISSING_FILE', // a required IDX file is absent
  'DATASET_INVALID', // an IDX file is corrupt, truncated, mis-shaped or inconsistent
  'NO_DATASET', // a run was requested before any dataset loaded
  'INVALID_CONFIG', // a run configuration failed validation (bad hyperparameter, shapes that do not connect)
  'UNKNOWN_PRESET', // no preset has that id
  'RUN_BUSY', // a run is already in progress in this engine
  'UNKNOWN_RUN', // pause/resume/stop named a run that is not active
  'DIVERGED', // the loss became NaN or infinite
  'ENGINE_CRASHED', // the engine process died (raised by hosts, not by the engine itself)
  'INTERNAL', // a bug: anything not covered above
  'NO_NETWORK', // a visualisation request came before any run had built a network
  'INVALID_REQUEST', // a visualisation request named a layer the network lacks (or of the wrong kind) or an image outside the split
  'INVALID_MODEL', // a model file that cannot be read: truncated, corrupt, not a model, a newer format, shapes that do not fit
  'MODEL_WRITE_FAILED', // a model file could not be written (disk full, permission denied); the previous file is intact
  'DATASET_EXISTS', // the data library already holds a set of that name
  'UNKNOWN_DATASET', // no set of that name is in the data library
  'DATASET_WRITE_FAILED' // a data set could not be written to the library (disk full, permission denied); nothing of it remains
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

/** An error with a stable code and a message written for the user. */
export class EngineError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>
  ) {
    super(message)
    this.name = 'EngineError'
  }
}
