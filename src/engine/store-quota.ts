/*
 * How much the lab's stores may hold: runs, models and data sets, on disk (the desktop app, the CLI) and in
 * IndexedDB (the browser). A write that would take its store over its quota is refused before anything is
 * written, with a message that says how much, why, and what to delete.
 *
 * The quota of a store is the smaller of:
 * - a fixed cap per store, so no store grows past what a course needs without anyone noticing: runs 4 GiB
 *   (about 2,800 of the longest runs, ~1.5 MB each; a semester is a few hundred), models 4 GiB (16 of the
 *   largest, 256 MB each; most are under 1 MB), data sets 16 GiB (CIFAR-100 as stored is ~180 MB);
 * - what the store holds now plus half the free space (the disk's, or the browser's quota for the app):
 *   the lab never takes the last half of a disk, so a full disk never breaks the rest of the system, and
 *   the next write still has room for its temporary file.
 * Pure (no I/O): each host passes the sizes it knows.
 */

export type StoreKind = 'runs' | 'models' | 'datasets'

const GiB = 1024 ** 3

export const STORE_CAPS: Record<StoreKind, number> = { runs: 4 * GiB, models: 4 * GiB, datasets: 16 * GiB }

/** Share of the free space a store may take: half (see above). */
export const FREE_SPACE_SHARE = 0.5

export interface QuotaQuestion {
  store: StoreKind
  /** Bytes the store holds now, not counting the item being replaced. */
  storedBytes: number
  /** Bytes of the item about to be written (the new version, when it replaces one). */
  writeBytes: number
  /** Free space where the store lives, or null when the host cannot tell (the cap alone then applies). */
  freeBytes: number | null
  /** Bytes the item being replaced takes now: they become free when the write lands. */
  replacedBytes?: number
  cap?: number
}

export type QuotaAnswer = { ok: true; quotaBytes: number } | { ok: false; quotaBytes: number; message: string }

const NAMES: Record<StoreKind, { item: string; store: string; advice: string }> = {
  runs: { item: 'this run', store: 'saved runs', advice: 'Delete runs you no longer need in Compare (“Delete many runs”).' },
  models: { item: 'this model', store: 'the model library', advice: 'Delete models you no longer need in Models.' },
  datasets: { item: 'this data set', store: 'the data library', advice: 'Delete data sets you no longer need in Data.' }
}

/** Sizes as people read them: 1.4 MB, 3.9 GB (decimal units, as file managers show them). */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB']
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }
  return unit === 0 ? `${Math.round(value)} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`
}

/** May this write happen? If not, the message says how much, the quota and where it comes from, and what to do. */
export function checkQuota(q: QuotaQuestion): QuotaAnswer {
  const cap = q.cap ?? STORE_CAPS[q.store]
  const freeAfterReplace = q.freeBytes === null ? null : q.freeBytes + (q.replacedBytes ?? 0)
  const bySpace = freeAfterReplace === null ? Number.POSITIVE_INFINITY : q.storedBytes + Math.floor(freeAfterReplace * FREE_SPACE_SHARE)
  const quotaBytes = Math.min(cap, bySpace)
  const total = q.storedBytes + q.writeBytes
  if (total <= quotaBytes) return { ok: true, quotaBytes }
  const names = NAMES[q.store]
  const why =
    quotaBytes === cap
      ? `its cap of ${formatBytes(cap)}`
      : `its quota of ${formatBytes(quotaBytes)}: what it holds (${formatBytes(q.storedBytes)}) plus half of the ${formatBytes(freeAfterReplace ?? 0)} free`
  return {
    ok: false,
    quotaBytes,
    message: `Not saved: ${names.item} (${formatBytes(q.writeBytes)}) would take ${names.store} to ${formatBytes(total)}, over ${why}. ${names.advice}`
  }
}

/** Thrown by a store that refuses a write over its quota; `message` is checkQuota's. */
export class QuotaExceededError extends Error {
  readonly code = 'EQUOTA'
  constructor(message: string) {
    super(message)
    this.name = 'QuotaExceededError'
  }
}
