import type { FloatArray } from '../core/dtype'
import type { Random } from '../core/random'
import type { InitKind } from '../config/run-config'

/** The standard deviation each initialisation scheme gives a layer with `fanIn` inputs. */
export function initStd(kind: InitKind, fanIn: number, gaussStd: number): number {
  switch (kind) {
    case 'gauss':
      return gaussStd
    case 'xavier':
      return Math.sqrt(1 / fanIn)
    case 'he':
      return Math.sqrt(2 / fanIn)
  }
}

/** Fills `values` with std · N(0, 1) draws, in order, from the run's generator. */
export function fillGaussian(values: FloatArray, std: number, random: Random): void {
  for (let i = 0; i < values.length; i++) values[i] = std * random.normal()
}
