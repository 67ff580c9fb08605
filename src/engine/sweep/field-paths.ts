/*
 * Field paths as run files and their problems write them: `optimizer.lr`, `network.hidden.0`,
 * `network.layers.2.filters`. A sweep names the settings it varies this way and sets them on a copy of
 * its base run; the run file's strict check then says whether the result is a run (run-file.ts).
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

/** The path's segments; an empty segment (`a..b`, a leading or trailing dot) is refused by name. */
export function splitPath(path: string): string[] | null {
  const parts = path.split('.')
  return parts.every((p) => p.length > 0) ? parts : null
}

/**
 * `target` with the value at `path` replaced (a deep copy; `target` is not changed). Objects missing
 * on the way are created, so an optional group such as `augment.shift` can be set on a run without it;
 * an array index must name an existing item, and a path cannot go through a number or a string.
 * Returns the problem as a sentence instead when the path cannot be followed.
 */
export function withValueAt(target: JsonValue, path: string, value: JsonValue): { ok: true; value: JsonValue } | { ok: false; problem: string } {
  const parts = splitPath(path)
  if (!parts) return { ok: false, problem: 'not a field path (segments joined by dots, e.g. optimizer.lr)' }
  const root = structuredClone(target)
  let node: JsonValue = root
  for (let i = 0; i < parts.length; i++) {
    const key = parts[i]
    const last = i === parts.length - 1
    const at = parts.slice(0, i).join('.') || '(run)'
    if (Array.isArray(node)) {
      const index = Number(key)
      if (!Number.isInteger(index) || index < 0 || index >= node.length) return { ok: false, problem: `unknown field (${at} has ${node.length} items)` }
      if (last) node[index] = value
      else node = node[index]
    } else if (node !== null && typeof node === 'object') {
      if (last) node[key] = value
      else {
        if (!(key in node)) node[key] = {}
        node = node[key]
      }
    } else {
      return { ok: false, problem: `unknown field: ${at} is a value, not a group of fields` }
    }
  }
  return { ok: true, value: root }
}

/** The value at `path`, or undefined when there is none. */
export function valueAt(target: JsonValue, path: string): JsonValue | undefined {
  let node: JsonValue | undefined = target
  for (const key of splitPath(path) ?? []) {
    if (node === null || typeof node !== 'object') return undefined
    node = Array.isArray(node) ? node[Number(key)] : node[key]
  }
  return node
}

/** `target` without the object key at `path` (a copy); unchanged when there is none. */
export function withoutValueAt(target: JsonValue, path: string): JsonValue {
  const parts = splitPath(path)
  if (!parts) return target
  const root = structuredClone(target)
  const parent = valueAt(root, parts.slice(0, -1).join('.'))
  if (parent !== null && typeof parent === 'object' && !Array.isArray(parent)) delete parent[parts[parts.length - 1]]
  return root
}
