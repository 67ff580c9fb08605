import { expect } from 'vitest'

/** Expects `run` to throw an error with this stable `code` whose message matches `message` and is one line. */
export function expectOneLineError(run: () => unknown, code: string, message: RegExp): void {
  let error: any
  try {
    run()
  } catch (e) {
    error = e
  }
  expect(error?.code, String(error)).toBe(code)
  expect(error.message).toMatch(message)
  expect(error.message).not.toMatch(/\n/)
}
