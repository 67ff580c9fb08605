import type { LrSchedule } from '../config/schedule'
import { portablePow, portableSinCos } from '../core/portable-math'

/**
 * The learning rate of iteration `iter` (1-based, as the run counts) of a run of `iterations`, starting
 * from `lr`. A pure function of the iteration, so a resumed run continues its schedule with nothing saved.
 *
 *   warm-up (i ≤ W):  lr · i / W
 *   then t = i − W − 1 of T = iterations − W:
 *   constant          lr
 *   step              lr · gamma^⌊t / every⌋                      (PyTorch's StepLR)
 *   cosine            minLr + (lr − minLr) · (1 + cos(π t / T)) / 2   (CosineAnnealingLR with T_max = T)
 */
export function learningRateAt(schedule: LrSchedule, lr: number, iter: number, iterations: number): number {
  const warmup = schedule.warmup?.iterations ?? 0
  if (iter <= warmup) return (lr * iter) / warmup
  const t = iter - warmup - 1
  switch (schedule.kind) {
    case 'constant':
      return lr
    case 'step':
      return lr * portablePow(schedule.gamma, Math.floor(t / schedule.every))
    case 'cosine': {
      const span = Math.max(1, iterations - warmup)
      return schedule.minLr + ((lr - schedule.minLr) * (1 + portableSinCos((Math.PI * t) / span)[1])) / 2
    }
  }
}

/**
 * Gives the optimizer the learning rate of its next step. Every optimizer reads its `lr` field at each
 * step; the Optimizer interface has no setter yet, so the field is written here, in one place.
 */
export function setLearningRate(optimizer: object, lr: number): void {
  if (!('lr' in optimizer) || typeof optimizer.lr !== 'number') throw new Error('this optimizer has no learning rate to schedule')
  ;(optimizer as { lr: number }).lr = lr
}
