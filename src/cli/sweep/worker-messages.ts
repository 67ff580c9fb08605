import { z } from 'zod'
import { ERROR_CODES } from '../../engine/protocol/error-codes'
import { EvaluationSchema } from '../../engine/protocol'

/*
 * What `lab sweep` and its worker processes say to each other over the IPC channel; both ends validate
 * what they receive. A worker holds one engine session and runs one trial at a time (trial-worker.ts).
 */

export const ToWorkerSchema = z.discriminatedUnion('type', [
  /** Open the engine and load the data (`--data`, the bundled MNIST when absent). */
  z.object({ type: z.literal('open'), data: z.string().optional(), threads: z.number().int().min(1).max(256).optional() }),
  /** Train one trial; `saveTo`: write its model there as a checkpoint when it runs to its end (or its own early stop). */
  z.object({ type: z.literal('run'), trial: z.number().int().min(1), presetId: z.string().optional(), config: z.unknown(), saveTo: z.string().optional() }),
  z.object({ type: z.literal('stop'), trial: z.number().int().min(1) })
])
export type ToWorker = z.infer<typeof ToWorkerSchema>

export const FromWorkerSchema = z.discriminatedUnion('type', [
  /** The data are loaded: their image shape [C, H, W] and class count, for the trials' costs. */
  z.object({ type: z.literal('ready'), imageShape: z.array(z.number().int()), classCount: z.number().int() }),
  z.object({ type: z.literal('evaluation'), trial: z.number().int(), evaluation: EvaluationSchema }),
  z.object({
    type: z.literal('finished'),
    trial: z.number().int(),
    status: z.string(),
    iter: z.number().int(),
    elapsedMs: z.number(),
    last: EvaluationSchema.nullable(),
    message: z.string().optional(),
    /** The model could not be written (the run itself finished). */
    saveProblem: z.string().optional()
  }),
  /** The engine refused (bad settings for these data, unreadable data): the sweep ends with this error. */
  z.object({ type: z.literal('error'), trial: z.number().int().optional(), code: z.enum(ERROR_CODES), message: z.string() })
])
export type FromWorker = z.infer<typeof FromWorkerSchema>
