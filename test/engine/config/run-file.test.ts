import { describe, expect, it } from 'vitest'
import { parseRunFile } from '../../../src/engine/config/run-file'
import { findPreset, PRESETS } from '../../../src/engine/presets'

describe('run files', () => {
  it('every preset printed as JSON reads back to the same settings', () => {
    for (const preset of PRESETS) {
      const checked = parseRunFile(JSON.stringify(preset.config, null, 2))
      expect(checked.ok, preset.id).toBe(true)
      if (checked.ok) expect(checked.config).toEqual(preset.config)
    }
  })

  it('names every unknown field, at any depth, together with invalid values', () => {
    const config = structuredClone(findPreset('cnn-simple').config) as unknown as Record<string, any>
    config.learningRate = 0.1
    config.optimizer.momentm = 0.9
    config.network.layers[0].filterz = 3
    config.batchSize = 0
    const checked = parseRunFile(JSON.stringify(config))
    expect(checked.ok).toBe(false)
    if (checked.ok) return
    expect(checked.problems).toEqual(
      expect.arrayContaining([
        { field: 'batchSize', message: 'batch size must be at least 1' },
        { field: 'learningRate', message: 'unknown field' },
        { field: 'optimizer.momentm', message: 'unknown field' },
        { field: 'network.layers.0.filterz', message: 'unknown field' }
      ])
    )
  })

  it('says when the file is not JSON, or a field has the wrong type', () => {
    const notJson = parseRunFile('{ "network": ')
    expect(notJson.ok).toBe(false)
    if (!notJson.ok) expect(notJson.problems[0]).toMatchObject({ field: '(file)', message: expect.stringMatching(/^not JSON/) })
    const wrongType = parseRunFile(JSON.stringify({ ...findPreset('vg-relu-he').config, iterations: 'many' }))
    expect(wrongType.ok).toBe(false)
    if (!wrongType.ok) expect(wrongType.problems).toEqual([{ field: 'iterations', message: 'iterations must be a whole number' }])
  })
})
