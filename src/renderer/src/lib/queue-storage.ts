import { z } from 'zod'
import { RunConfigSchema } from '@engine/config/run-config'
import type { RunRequest } from '@renderer/stores/current-run'

/**
 * The waiting runs, kept in localStorage (the app's own storage in Electron and in the browser) so a
 * reload or a crash does not lose what the user lined up. Each item is validated on the way back; one
 * that no longer validates is dropped and counted.
 */
export const QUEUE_STORAGE_KEY = 'gradient-lab.queue.v1'

const StoredRequestSchema = z.object({ config: RunConfigSchema, presetId: z.string().nullable(), custom: z.boolean() })

export function loadQueuedRequests(storage: Storage | undefined = globalThis.localStorage): { requests: RunRequest[]; dropped: number } {
  const text = storage?.getItem(QUEUE_STORAGE_KEY)
  if (!text) return { requests: [], dropped: 0 }
  let items: unknown
  try {
    items = JSON.parse(text)
  } catch {
    return { requests: [], dropped: 1 }
  }
  if (!Array.isArray(items)) return { requests: [], dropped: 1 }
  const requests: RunRequest[] = []
  for (const item of items) {
    const parsed = StoredRequestSchema.safeParse(item)
    if (parsed.success) requests.push(parsed.data)
  }
  return { requests, dropped: items.length - requests.length }
}

export function saveQueuedRequests(requests: readonly RunRequest[], storage: Storage | undefined = globalThis.localStorage): void {
  try {
    const plain = requests.map(({ config, presetId, custom }) => ({ config, presetId, custom }))
    if (plain.length === 0) storage?.removeItem(QUEUE_STORAGE_KEY)
    else storage?.setItem(QUEUE_STORAGE_KEY, JSON.stringify(plain))
  } catch {
    // Storage full or disabled: the queue still works for this session.
  }
}
