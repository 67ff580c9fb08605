import { checkQuota, QuotaExceededError, type StoreKind } from '../../../../engine/store-quota' // relative: the desktop tests load this file through model-storage.ts

/*
 * The stores' quota in the browser version (the policy is src/engine/store-quota.ts): the free space is what
 * the browser says this page may still store, and each store counts its own bytes.
 */

/** What this origin may still store, by the browser's own reckoning; null where it does not say. */
export async function browserFreeBytes(): Promise<number | null> {
  try {
    const estimate = await navigator.storage?.estimate?.()
    if (estimate?.quota === undefined || estimate.usage === undefined) return null
    return Math.max(0, estimate.quota - estimate.usage)
  } catch {
    return null
  }
}

export interface BrowserQuotaQuestion {
  store: StoreKind
  storedBytes: number
  writeBytes: number
  replacedBytes?: number
  freeBytes?: () => Promise<number | null>
}

/** Throws QuotaExceededError, before anything is written, when the write would pass the store's quota. */
export async function assertBrowserQuota(q: BrowserQuotaQuestion): Promise<void> {
  const freeBytes = await (q.freeBytes ?? browserFreeBytes)()
  const verdict = checkQuota({ store: q.store, storedBytes: q.storedBytes, writeBytes: q.writeBytes, freeBytes, replacedBytes: q.replacedBytes })
  if (!verdict.ok) throw new QuotaExceededError(verdict.message)
}
