/**
 * Spreads chart redraws over animation frames: at most one chart is redrawn per frame. A Chart.js
 * update (layout, then drawing every line) is the most expensive thing the renderer does; two or three
 * charts redrawn in the same frame would make that frame late, one per frame fits. A chart that asks
 * again before its turn keeps its place in the queue and draws only its latest data.
 *
 * Off by default (tests, and environments without requestAnimationFrame): the redraw happens at once.
 */
type Redraw = () => void

const queue = new Map<object, Redraw>()
let frameRequested = false
let enabled = false

export function enableChartFrameQueue(on: boolean): void {
  enabled = on
  if (!on) {
    for (const redraw of queue.values()) redraw()
    queue.clear()
  }
}

export function scheduleChartRedraw(chart: object, redraw: Redraw): void {
  if (!enabled || typeof requestAnimationFrame !== 'function') {
    redraw()
    return
  }
  queue.set(chart, redraw)
  if (!frameRequested) {
    frameRequested = true
    requestAnimationFrame(runOne)
  }
}

/** Forgets a chart that is going away (its pending redraw would only touch a destroyed chart). */
export function cancelChartRedraw(chart: object): void {
  queue.delete(chart)
}

function runOne(): void {
  frameRequested = false
  const next = queue.entries().next()
  if (next.done) return
  const [chart, redraw] = next.value
  queue.delete(chart)
  redraw()
  if (queue.size > 0) {
    frameRequested = true
    requestAnimationFrame(runOne)
  }
}
