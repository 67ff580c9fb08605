import { describe, expect, it } from 'vitest'
import { curveAxes } from '@renderer/lib/chart-axes'
import { createAppI18n } from '@renderer/i18n'

/* The loss and accuracy curves' axes, shared by #/train, #/compare, the errors panel and the preset curves. */

describe('curve axes', () => {
  it('plots loss from 0 up and accuracy on [0, 1], both over iterations, in either language', () => {
    for (const locale of ['en', 'ja'] as const) {
      const { t } = createAppI18n(locale).global
      const axes = curveAxes(t)
      expect(axes.loss).toEqual({ xLabel: t('charts.iteration'), yLabel: t('charts.loss.series'), yMin: 0 })
      expect(axes.accuracy).toEqual({ xLabel: t('charts.iteration'), yLabel: t('charts.accuracy.title'), yMin: 0, yMax: 1 })
    }
    expect(curveAxes(createAppI18n('ja').global.t).accuracy.yLabel).toBe('正答率')
    expect(curveAxes(createAppI18n('en').global.t).loss).toMatchObject({ xLabel: 'Iteration', yLabel: 'Loss' })
  })
})
