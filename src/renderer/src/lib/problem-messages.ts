import type { FieldProblem } from '@engine/config/run-config'

/**
 * The engine's validation messages are English sentences written for the CLI. Next to a form field the
 * field's name is already on screen, so the app shows the rule itself, in the student's language: each
 * known message maps to an i18n key with its numbers. An unknown message is shown as the engine wrote it.
 */
export interface LocalizedProblem {
  key: string | null
  params: Record<string, string | number>
  /** The engine's own words, the fallback. */
  message: string
}

const RULES: { pattern: RegExp; key: string; params?: (m: RegExpMatchArray) => Record<string, string> }[] = [
  { pattern: /must be a finite number$/, key: 'validation.finite' },
  { pattern: /must be greater than 0$/, key: 'validation.positive' },
  { pattern: /must be a whole number$/, key: 'validation.integer' },
  { pattern: /must be a number$/, key: 'validation.number' },
  { pattern: /must be (?:0 or more|at least 0)$/, key: 'validation.nonNegative' },
  { pattern: /must be at least (\S+)$/, key: 'validation.atLeast', params: (m) => ({ min: m[1] }) },
  { pattern: /must be at most (\S+)$/, key: 'validation.atMost', params: (m) => ({ max: m[1] }) },
  { pattern: /must be less than (\S+)$/, key: 'validation.lessThan', params: (m) => ({ max: m[1] }) },
  { pattern: /needs at least one hidden layer$/, key: 'validation.hiddenEmpty' },
  { pattern: /at most (\d+) hidden layers$/, key: 'validation.hiddenTooMany', params: (m) => ({ max: m[1] }) },
  { pattern: /must fit in 32 bits$/, key: 'validation.seedRange' },
  { pattern: /^(\d+) is larger than the (\d+) training images in use$/, key: 'validation.batchTooLarge', params: (m) => ({ value: m[1], count: m[2] }) },
  {
    pattern: /^the last layer must give (\d+) class scores, gives \[([^\]]*)\]/,
    key: 'validation.classScores',
    params: (m) => ({ classes: m[1], shape: m[2] })
  },
  { pattern: /^give either a fraction or a count/, key: 'validation.fractionOrCount' },
  { pattern: /^needs a validation split to watch/, key: 'validation.needsSplit' },
  { pattern: /^(\d+) images would leave none of the (\d+) training images/, key: 'validation.splitTooLarge', params: (m) => ({ value: m[1], count: m[2] }) },
  { pattern: /^sets no image aside from the (\d+) training images/, key: 'validation.splitEmpty', params: (m) => ({ count: m[1] }) },
  { pattern: /^Invalid option/, key: 'validation.option' },
  { pattern: /^Invalid input/, key: 'validation.invalid' }
]

export function localizeProblem(problem: FieldProblem): LocalizedProblem {
  for (const rule of RULES) {
    const match = problem.message.match(rule.pattern)
    if (match) return { key: rule.key, params: rule.params?.(match) ?? {}, message: problem.message }
  }
  return { key: null, params: {}, message: problem.message }
}

/**
 * The form field a problem belongs to: `network.hidden.2` belongs to the hidden-sizes field (with the
 * layer number), `optimizer.lr` to the learning rate, and so on.
 */
export function problemField(field: string): { field: string; index?: number } {
  const hidden = field.match(/^network\.hidden\.(\d+)$/)
  if (hidden) return { field: 'network.hidden', index: Number(hidden[1]) }
  return { field }
}
