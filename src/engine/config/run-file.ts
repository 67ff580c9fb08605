import type { z } from 'zod'
import { checkRunConfig, RunConfigSchema, type FieldProblem, type RunConfig } from './run-config'

/*
 * Run files: a JSON file holding exactly the RunConfig object a run record stores (`lab show --preset ID`
 * prints one). Unlike settings sent by the app, a file is read strictly: a field the schema does not know
 * is an error (a typo such as "learningRate" must not be silently ignored), reported together with every
 * other problem.
 */

export type RunFileCheck = { ok: true; config: RunConfig } | { ok: false; problems: FieldProblem[] }

export function parseRunFile(text: string): RunFileCheck {
  let input: unknown
  try {
    input = JSON.parse(text)
  } catch (error) {
    return { ok: false, problems: [{ field: '(file)', message: `not JSON: ${(error as Error).message}` }] }
  }
  const unknown = unknownFields(RunConfigSchema, input, '').map((field) => ({ field, message: 'unknown field' }))
  const checked = checkRunConfig(input)
  if (checked.ok && unknown.length === 0) return checked
  return { ok: false, problems: [...(checked.ok ? [] : checked.problems), ...unknown] }
}

type AnySchema = z.ZodType & { def: Record<string, any> }

/** Keys of `input` that `schema` does not describe, as dotted paths (walking objects, unions and arrays). */
function unknownFields(schema: AnySchema, input: unknown, path: string): string[] {
  const def = schema.def
  switch (def.type) {
    case 'default':
    case 'optional':
    case 'nullable':
      return unknownFields(def.innerType, input, path)
    case 'array':
      return Array.isArray(input) ? input.flatMap((item, i) => unknownFields(def.element, item, join(path, String(i)))) : []
    case 'union': {
      // A discriminated union: the option its discriminator names (none: the schema check reports it).
      if (!isObject(input) || !def.discriminator) return []
      const option = (def.options as AnySchema[]).find((o) => (o as any).shape?.[def.discriminator]?.value === input[def.discriminator])
      return option ? unknownFields(option, input, path) : []
    }
    case 'object': {
      if (!isObject(input)) return []
      const shape = (schema as any).shape as Record<string, AnySchema>
      return Object.keys(input).flatMap((key) => (key in shape ? unknownFields(shape[key], input[key], join(path, key)) : [join(path, key)]))
    }
    default:
      return []
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const join = (path: string, key: string): string => (path ? `${path}.${key}` : key)
