// The "app is running from this folder" marker of `npm start` (out/.electron-running.pid): created
// exclusively, so two starts cannot both think they own the build; it names the owner's pid *and* that
// process's start time, so a pid reused by another process (after a reboot, or much later) is not taken for
// the app; removed when its owner exits.
import { execFileSync } from 'node:child_process'
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'

/**
 * When the process started, as a string that changes when the pid is reused: on Linux the boot's id and the
 * start time in clock ticks since boot (/proc), elsewhere what `ps` says (macOS, the BSDs). Null where
 * neither is available (Windows): the marker then falls back to "is this pid alive".
 */
export function processStartTime(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Field 22 (starttime); the command name (field 2) may hold spaces and parentheses, so count from its end.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()
    return `${bootId}:${fields[19]}`
  } catch {
    // not Linux, or no such process
  }
  if (process.platform === 'win32') return null
  try {
    const started = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    return started || null
  } catch {
    return null
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists, it is just not ours to signal.
    return error.code === 'EPERM'
  }
}

/** What a marker file holds; a bare pid is what builds before this one wrote (start time unknown). */
function parseMarker(text) {
  const trimmed = text.trim()
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed), started: null }
  const value = JSON.parse(trimmed)
  if (!Number.isInteger(value?.pid) || value.pid <= 0) throw new Error('not a marker')
  return { pid: value.pid, started: typeof value.started === 'string' ? value.started : null }
}

/** True when the marker names a live process that started when the marker says (so not a reused pid). */
export function markerHolderRunning(markerPath) {
  let marker
  try {
    marker = parseMarker(readFileSync(markerPath, 'utf8'))
  } catch {
    return false
  }
  if (!alive(marker.pid)) return false
  if (marker.started === null) return true
  const now = processStartTime(marker.pid)
  return now === null || now === marker.started
}

/**
 * Takes the marker for this process. Returns `{ owned: true, release }` (release removes it, only if it is
 * still ours), or `{ owned: false }` when a running app holds it. A stale marker (its process gone, or its
 * pid reused) is replaced.
 */
export function claimMarker(markerPath, pid = process.pid) {
  mkdirSync(dirname(markerPath), { recursive: true })
  const content = JSON.stringify({ pid, started: processStartTime(pid) })
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd
    try {
      fd = openSync(markerPath, 'wx', 0o644)
    } catch (error) {
      if (error.code !== 'EEXIST') throw error
      if (markerHolderRunning(markerPath)) return { owned: false }
      rmSync(markerPath, { force: true })
      continue
    }
    try {
      writeSync(fd, content)
    } finally {
      closeSync(fd)
    }
    const release = () => {
      try {
        if (readFileSync(markerPath, 'utf8') === content) rmSync(markerPath, { force: true })
      } catch {
        // already gone
      }
    }
    return { owned: true, release }
  }
  // Another start replaced the stale marker between our two attempts: it owns the folder now.
  return { owned: false }
}
