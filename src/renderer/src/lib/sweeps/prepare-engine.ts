import type { EngineClient } from '@renderer/engine-client/engine-client'

/**
 * Readies a sweep engine: says hello, keeps it to `threads` kernel threads (the sweep's parallelism is its
 * engines), and makes sure it holds the page's data set. A new engine loads the bundled set by itself;
 * when the page uses another set of the data library, the engine is asked to use that one. Rejects with a
 * sentence when the engine cannot have the data (a folder opened only in this page, say).
 */
export function prepareEngine(client: EngineClient, dataset: string, options: { threads?: number; timeoutMs?: number } = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 60_000
  return new Promise((resolve, reject) => {
    const offs: Array<() => void> = []
    const end = (error?: Error): void => {
      clearTimeout(timer)
      offs.forEach((off) => off())
      if (error) reject(error)
      else resolve()
    }
    const timer = setTimeout(() => end(new Error(`a sweep engine did not load "${dataset}" within ${timeoutMs / 1000} s`)), timeoutMs)
    let asked = false
    const have = (name: string | null): void => {
      if (name === dataset) return end()
      if (name === null || asked) return
      asked = true
      client.useDataset(dataset)
    }
    offs.push(
      client.on('ready', (event) => {
        if (options.threads !== undefined && event.threads?.available) client.setThreads(Math.min(options.threads, event.threads.max))
        have(event.dataset?.name ?? null)
      }),
      client.on('datasetLoaded', (event) => have(event.dataset.name)),
      client.on('error', (event) => {
        if (asked || event.code.startsWith('DATASET_')) end(new Error(`a sweep engine could not load "${dataset}": ${event.message}`))
      })
    )
    client.hello()
  })
}
