import type { EarlyStopping } from '../config/schedule'

/** What a checkpoint keeps of early stopping, JSON-safe: the best validation accuracy so far and since when. */
export interface StoppingState {
  /** null before the first evaluation. */
  best: number | null
  bestIter: number
  /** Evaluations in a row without an improvement of more than minDelta. */
  stale: number
}

/**
 * Watches validation accuracy at each evaluation, as Keras' EarlyStopping does with mode 'max': an
 * evaluation improves when valAcc − minDelta > best; after `patience` evaluations in a row that do not,
 * the run stops. The weights are those of the last iteration, not the best one (reported by bestIter).
 */
export class EarlyStopper {
  private state: StoppingState = { best: null, bestIter: 0, stale: 0 }

  constructor(private readonly settings: EarlyStopping) {}

  /** Takes one evaluation's validation accuracy; true when the run should stop here. */
  observe(iter: number, valAcc: number): boolean {
    const { best } = this.state
    if (best === null || valAcc - this.settings.minDelta > best) this.state = { best: valAcc, bestIter: iter, stale: 0 }
    else this.state = { ...this.state, stale: this.state.stale + 1 }
    return this.shouldStop
  }

  get shouldStop(): boolean {
    return this.state.stale >= this.settings.patience
  }

  get best(): { iter: number; valAcc: number } | null {
    return this.state.best === null ? null : { iter: this.state.bestIter, valAcc: this.state.best }
  }

  save(): StoppingState {
    return { ...this.state }
  }

  restore(state: StoppingState): void {
    this.state = { ...state }
  }

  /** Why the run ended, for the user. */
  reason(): string {
    const { patience, minDelta } = this.settings
    const best = this.best
    const by = minDelta > 0 ? ` by more than ${minDelta}` : ''
    const where = best ? `; best ${best.valAcc.toFixed(4)} at iteration ${best.iter}` : ''
    return `early stopping: validation accuracy did not improve${by} for ${patience} evaluation${patience === 1 ? '' : 's'}${where}`
  }
}
