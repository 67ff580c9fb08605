import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { TrialResultSchema, type SweepSpec, type Trial, type TrialResult } from '../../engine/sweep'
import { writeFileAtomically } from '../../engine/hosts/node/atomic-write'
import { UsageError } from '../args'

/*
 * A sweep's state in its --out folder: the sweep it belongs to and every trial finished so far, replaced
 * atomically after each one. Running the same command again reads it, keeps those trials and runs the
 * rest. Trials that failed (a bug, a crash) are not kept: a resume tries them again.
 */

export const STATE_FILE = 'sweep-state.json'
const STATE_VERSION = 1

const StateSchema = z.object({
  version: z.literal(STATE_VERSION),
  /** The sweep file as checked, and --data: a state is only resumed by the same sweep on the same data. */
  sweep: z.unknown(),
  data: z.string().nullable(),
  results: z.array(TrialResultSchema)
})

export interface SweepIdentity {
  sweep: SweepSpec
  data: string | null
}

/** The finished trials a previous attempt left in `dir` (none when it holds no state yet). */
export async function readKeptTrials(dir: string, identity: SweepIdentity, trials: readonly Trial[]): Promise<TrialResult[]> {
  const path = join(dir, STATE_FILE)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`)
  }
  let state: z.infer<typeof StateSchema>
  try {
    state = StateSchema.parse(JSON.parse(text))
  } catch {
    throw new UsageError(`${path} is not a sweep state this lab can read; remove it or give another --out`)
  }
  if (JSON.stringify(state.sweep) !== JSON.stringify(identity.sweep) || state.data !== identity.data) {
    throw new UsageError(`${path} belongs to another sweep (its file or --data changed); give another --out or remove the folder`)
  }
  // Only results that still match their trial (same settings and seed) are kept.
  return state.results.filter((r) => {
    const t = trials[r.trial - 1]
    return t && t.seed === r.seed && JSON.stringify(t.settings) === JSON.stringify(r.settings) && r.status !== 'failed'
  })
}

/** Writes the state with every kept result so far (failed trials left out). */
export class SweepStateWriter {
  private writing: Promise<void> = Promise.resolve()

  constructor(
    private readonly dir: string,
    private readonly identity: SweepIdentity
  ) {}

  static async create(dir: string, identity: SweepIdentity): Promise<SweepStateWriter> {
    await mkdir(dir, { recursive: true })
    return new SweepStateWriter(dir, identity)
  }

  /** Queues a write of these results after any write in progress; resolves when it is on disk. */
  save(results: readonly TrialResult[]): Promise<void> {
    const state = { version: STATE_VERSION, ...this.identity, results: results.filter((r) => r.status !== 'failed').sort((a, b) => a.trial - b.trial) }
    const text = JSON.stringify(state, null, 1) + '\n'
    this.writing = this.writing.catch(() => undefined).then(() => writeFileAtomically(join(this.dir, STATE_FILE), text))
    return this.writing
  }

  /** A trial's run file, for `lab train --config` (re-run it, or run it longer). */
  writeRunFile(trial: Trial): Promise<void> {
    return writeFileAtomically(join(this.dir, `trial-${trial.trial}.json`), JSON.stringify(trial.config, null, 2) + '\n')
  }
}
