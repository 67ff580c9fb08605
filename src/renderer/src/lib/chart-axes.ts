/**
 * The axes of the course's two curves, loss and accuracy over iterations, as LineChart props (bind with
 * `v-bind`): every view that plots them labels them alike, loss from 0 up, accuracy on [0, 1].
 */
export interface ChartAxes {
  xLabel: string
  yLabel: string
  yMin: number
  yMax?: number
}

type Translate = (key: string) => string

export function curveAxes(t: Translate): { loss: ChartAxes; accuracy: ChartAxes } {
  const xLabel = t('charts.iteration')
  return {
    loss: { xLabel, yLabel: t('charts.loss.series'), yMin: 0 },
    accuracy: { xLabel, yLabel: t('charts.accuracy.title'), yMin: 0, yMax: 1 }
  }
}
