import { invalid } from './import-errors'
import type { SkippedFile } from './import-types'

/** The files an import leaves out, each with its reason; in strict mode the first one stops the import. */
export class SkipList {
  readonly files: SkippedFile[] = []

  constructor(private readonly strict: boolean) {}

  add(file: string, reason: string): void {
    if (this.strict) throw invalid(`${file}: ${reason}`)
    this.files.push({ file, reason })
  }
}
