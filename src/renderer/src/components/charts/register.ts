import { Chart, Filler, Legend, LinearScale, LineElement, LogarithmicScale, PointElement, Tooltip } from 'chart.js'

/*
 * Chart.js is tree-shakable: only what is registered here ends up in the bundle. vue-chartjs's <Line>
 * registers the line controller itself; the scales, elements and plugins the charts use are listed here.
 */
let registered = false

export function registerChartParts(): void {
  if (registered) return
  Chart.register(LinearScale, LogarithmicScale, PointElement, LineElement, Tooltip, Legend, Filler)
  registered = true
}
