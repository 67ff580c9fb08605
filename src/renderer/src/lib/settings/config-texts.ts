import { reactive, watch } from 'vue'
import { useI18n } from 'vue-i18n'
import type { RunConfig } from '@engine/config/run-config'
import { formatNumber, formatSizes, parseNumber, parseOptionalNumber, parseSizes, sameValue } from '@renderer/lib/form-values'

/*
 * The run settings typed as text (components/settings/NetworkSettings.vue, OptimizerSettings.vue,
 * RegularizationSettings.vue, TrainingSettings.vue): each part names its fields by config path and kind,
 * and edits the config at that path. The frame (RunSettingsForm.vue) lists the fields the parts show, so a
 * problem of any other field is still shown once, under the form.
 */

/** A number, an optional count (empty: not set) or hidden layer sizes ("100, 50"). */
export type TextKind = 'number' | 'optional' | 'sizes'

export const NETWORK_TEXTS: Record<string, TextKind> = { 'network.hidden': 'sizes', 'network.initStd': 'number', 'network.dropout.ratio': 'number' }
export const OPTIMIZER_TEXTS: Record<string, TextKind> = {
  'optimizer.lr': 'number',
  'optimizer.momentum': 'number',
  'optimizer.initialH': 'number',
  'optimizer.decay': 'number',
  'optimizer.beta1': 'number',
  'optimizer.beta2': 'number'
}
export const REGULARIZATION_TEXTS: Record<string, TextKind> = { 'regularization.lambda': 'number' }
export const TRAINING_TEXTS: Record<string, TextKind> = {
  batchSize: 'number',
  iterations: 'number',
  evalInterval: 'number',
  seed: 'number',
  trainLimit: 'optional',
  testLimit: 'optional',
  evalSubset: 'optional'
}

/** Every field the four parts show a problem under (the schedule and stopping parts list theirs in schedule-form.ts). */
export const PART_FIELDS = [
  ...Object.keys(NETWORK_TEXTS),
  ...Object.keys(OPTIMIZER_TEXTS),
  ...Object.keys(REGULARIZATION_TEXTS),
  ...Object.keys(TRAINING_TEXTS),
  'network.activation',
  'network.init',
  'network.normalization',
  'network.dropout.mode',
  'optimizer.kind',
  'optimizer.variant',
  'regularization.kind',
  'trainAccuracy',
  'freeze.normalization',
  'freeze.outputLayer'
]

export function getPath(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, key) => (typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[key] : undefined), obj)
}

/** A copy of `obj` with `path` set (or removed, for undefined); objects on the way are copied, not mutated. */
export function setPath<T>(obj: T, path: string, value: unknown): T {
  const [head, ...rest] = path.split('.')
  const copy = { ...(obj as Record<string, unknown>) }
  if (rest.length === 0) {
    if (value === undefined) delete copy[head]
    else copy[head] = value
  } else {
    copy[head] = setPath(copy[head] ?? {}, rest.join('.'), value)
  }
  return copy as T
}

export function parseText(kind: TextKind, text: string): unknown {
  if (kind === 'sizes') return parseSizes(text)
  if (kind === 'optional') return parseOptionalNumber(text)
  return parseNumber(text)
}

export function formatText(kind: TextKind, value: unknown): string {
  if (kind === 'sizes') return Array.isArray(value) ? formatSizes(value as number[]) : ''
  return typeof value === 'number' ? formatNumber(value) : ''
}

/**
 * One part's typed fields: their texts keep what the student typed wherever it still means the config's
 * value (so "0." is not rewritten under the cursor), and `onText` emits the config with the parsed value
 * (which may be invalid while typing; the schema check then names the problem).
 */
export function useConfigTexts(config: () => RunConfig, fields: Record<string, TextKind>, emit: (config: RunConfig) => void) {
  const texts = reactive<Record<string, string>>({})
  watch(
    config,
    (current) => {
      for (const [path, kind] of Object.entries(fields)) {
        const value = getPath(current, path)
        if (path in texts && sameValue(parseText(kind, texts[path]), value)) continue
        texts[path] = formatText(kind, value)
      }
    },
    { immediate: true }
  )

  function onText(path: string, event: Event): void {
    const text = (event.target as HTMLInputElement).value
    texts[path] = text
    emit(setPath(config(), path, parseText(fields[path], text)))
  }

  /** A choice or checkbox edits its path as it is. */
  function onValue(path: string, value: unknown): void {
    emit(setPath(config(), path, value))
  }

  return { texts, onText, onValue }
}

/** One choice of a select: its value, label and (optionally) a longer explanation as its tooltip. */
export interface Choice {
  value: string
  label: string
  title?: string
}

/**
 * One field of a part, as components/settings/FieldGroup.vue shows it: a typed number (`inputmode`) or a
 * choice (`choices`, the current `value`, and `onChange` where the choice does more than set its path).
 * Labels and hints arrive translated.
 */
export interface FieldSpec {
  path: string
  label: string
  hint?: string
  disabled?: boolean
  testid?: string
  inputmode?: 'numeric' | 'decimal'
  placeholder?: string
  choices?: Choice[]
  value?: unknown
  onChange?: (event: Event) => void
}

/** What every part of the form receives from it (RunSettingsForm passes these to each). */
export interface PartProps {
  config: RunConfig
  errorsOf: (field: string) => string[]
  disabled?: boolean
}

/**
 * A part's texts and edit handlers over its typed fields, plus `option`: a translated option label when
 * the locale has one, otherwise the raw value (so a new engine option still shows).
 */
export function useSettingsPart(props: PartProps, emit: (event: 'update:config', config: RunConfig) => void, fields: Record<string, TextKind>) {
  const { t, te } = useI18n()
  const update = (config: RunConfig) => emit('update:config', config)
  const { texts, onText, onValue } = useConfigTexts(() => props.config, fields, update)
  const option = (key: string, raw: string) => (te(key) ? t(key) : raw)
  return {
    t,
    option,
    /** The values as choices, each labelled by `${prefix}.${value}` where the locale has it. */
    choices: (values: readonly string[], prefix: string): Choice[] => values.map((value) => ({ value, label: option(`${prefix}.${value}`, value) })),
    texts,
    onText,
    update,
    onSelect: (path: string, event: Event) => onValue(path, (event.target as HTMLSelectElement).value),
    onCheck: (path: string, event: Event) => onValue(path, (event.target as HTMLInputElement).checked)
  }
}
