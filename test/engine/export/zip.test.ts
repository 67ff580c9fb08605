/** The stored .zip the app hands a PyTorch project over in: Python's zipfile reads every file back, CRCs checked. */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { crc32, zipFiles } from '../../../src/engine/export/pytorch/zip'

describe('zipFiles', () => {
  it('CRC-32 is the standard one', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926)
  })

  it("writes an archive that Python's zipfile reads back exactly, with UTF-8 names and binary contents", () => {
    const binary = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256)
    const archive = zipFiles([
      { path: 'project/train.py', contents: 'print("正答率")\n' },
      { path: 'project/data/checkpoint.safetensors', contents: binary },
      { path: 'project/empty.txt', contents: '' }
    ])
    const file = join(mkdtempSync(join(tmpdir(), 'lab-zip-')), 'project.zip')
    writeFileSync(file, archive)
    const script = `
import json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    assert z.testzip() is None
    print(json.dumps({i.filename: [i.file_size, sum(z.read(i.filename)) % 1000003, z.read(i.filename)[:20].decode("utf-8", "replace")] for i in z.infolist()}))
`
    const run = spawnSync('/usr/bin/python3', ['-c', script, file], { encoding: 'utf8' })
    expect(run.status, run.stderr).toBe(0)
    const sum = binary.reduce((a, b) => a + b, 0) % 1000003
    expect(JSON.parse(run.stdout)).toEqual({
      'project/train.py': [new TextEncoder().encode('print("正答率")\n').length, expect.any(Number), 'print("正答率")\n'],
      'project/data/checkpoint.safetensors': [70_000, sum, expect.any(String)],
      'project/empty.txt': [0, 0, '']
    })
  })
})
