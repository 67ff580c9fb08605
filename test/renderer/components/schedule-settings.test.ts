/**
 * The form's schedule and stopping parts: choosing a schedule and typing its values gives the config's
 * lrSchedule; the validation split typed as a fraction or a count; early stopping on and off; problems
 * under the field they name, in English and Japanese; the run's validation curve and early-stop line.
 */
import { describe, expect, it } from 'vitest'
import { createAppI18n } from '@renderer/i18n'
import { checkDraft } from '@renderer/lib/config-draft'
import { scheduleOfKind, validationFromText } from '@renderer/lib/settings/schedule-form'
import { earlyStopLine, validationPoints } from '@renderer/lib/validation-curve'
import { earlyStopReason } from '@renderer/lib/early-stop-reason'
import { DATASET } from '../fixtures'
import { base, mountForm } from './settings-form-mount'

const errorText = (wrapper: ReturnType<typeof mountForm>['wrapper'], field: string) =>
  wrapper.find(`[data-field="${field}"] [data-testid="field-error"]`).text()

describe('the schedule settings', () => {
  it('a step schedule with its values and a warm-up, then none again', async () => {
    const { wrapper, follow } = mountForm()
    const part = () => wrapper.find('[data-testid="schedule-settings"]')
    expect(part().findAll('input')).toHaveLength(0)
    await part().find('select').setValue('step')
    expect((await follow()).lrSchedule).toEqual({ kind: 'step', every: Math.round(base.iterations / 5), gamma: 0.5 })
    await wrapper.find('[data-field="lrSchedule.every"] input').setValue('300')
    await follow()
    await wrapper.find('[data-field="lrSchedule.gamma"] input').setValue('0.1')
    await follow()
    await wrapper.find('[data-field="lrSchedule.warmup.iterations"] input').setValue('50')
    expect((await follow()).lrSchedule).toEqual({ kind: 'step', every: 300, gamma: 0.1, warmup: { iterations: 50 } })
    // Cosine keeps the warm-up; none removes the setting.
    await part().find('select').setValue('cosine')
    expect((await follow()).lrSchedule).toEqual({ kind: 'cosine', minLr: 0, warmup: { iterations: 50 } })
    await part().find('select').setValue('none')
    expect('lrSchedule' in (await follow())).toBe(false)
  })

  it('names a bad value under its field, in both languages', async () => {
    for (const locale of ['en', 'ja'] as const) {
      const { wrapper, follow } = mountForm({ ...base, lrSchedule: { kind: 'step', every: 100, gamma: 0.5 } }, locale)
      await wrapper.find('[data-field="lrSchedule.gamma"] input').setValue('2')
      await follow()
      expect(errorText(wrapper, 'lrSchedule.gamma')).toBe(
        locale === 'en' ? 'Must be at most 1.' : createAppI18n('ja').global.t('validation.atMost', { max: '1' })
      )
      expect(wrapper.find('[data-field="lrSchedule.gamma"] input').attributes('aria-invalid')).toBe('true')
    }
  })
})

describe('the validation split and early stopping', () => {
  it('reads a fraction or a count, and empty as none', () => {
    expect(validationFromText('0.1')).toEqual({ fraction: 0.1 })
    expect(validationFromText('５００')).toEqual({ count: 500 })
    expect(validationFromText(' ')).toBeUndefined()
    expect(validationFromText('abc')).toEqual({ fraction: Number.NaN })
  })

  it('early stopping without a split is refused under its checkbox, and accepted once there is one', async () => {
    const { wrapper, follow } = mountForm()
    await wrapper.find('[data-field-input="earlyStopping"]').setValue(true)
    expect((await follow()).earlyStopping).toEqual({ patience: 5, minDelta: 0 })
    expect(errorText(wrapper, 'earlyStopping')).toBe('Needs a validation split to watch: set one above.')
    await wrapper.find('[data-field="validation"] input').setValue('0.1')
    const next = await follow()
    expect(next.validation).toEqual({ fraction: 0.1 })
    expect(wrapper.find('[data-field="earlyStopping"] [data-testid="field-error"]').exists()).toBe(false)
    expect(checkDraft(next, DATASET).problems).toEqual([])
    await wrapper.find('[data-field="earlyStopping.patience"] input').setValue('3')
    expect((await follow()).earlyStopping).toEqual({ patience: 3, minDelta: 0 })
    await wrapper.find('[data-field-input="earlyStopping"]').setValue(false)
    expect('earlyStopping' in (await follow())).toBe(false)
  })

  it('a split that leaves nothing to train on is named under the field', async () => {
    const { wrapper, follow } = mountForm({ ...base, trainLimit: 500 }, 'ja')
    await wrapper.find('[data-field="validation"] input').setValue('500')
    await follow()
    expect(errorText(wrapper, 'validation')).toBe('500 枚を取り分けると、訓練用の 500 枚が残りません。')
  })

  it('the schedule problems are not listed again among the others', async () => {
    const { wrapper, follow } = mountForm()
    await wrapper.find('[data-field-input="earlyStopping"]').setValue(true)
    await follow()
    expect(wrapper.find('[data-testid="other-problems"]').exists()).toBe(false)
  })
})

describe('the validation curve and the early stop on the chart', () => {
  it('draws valAcc where evaluations have it, and a vertical line only for an early stop', () => {
    const e = (iter: number, valAcc?: number) => ({ iter, loss: 1, trainAcc: 0.5, testAcc: 0.5, elapsedMs: 0, ...(valAcc === undefined ? {} : { valAcc }) })
    expect(validationPoints([e(10, 0.4), e(20, 0.6)])).toEqual([
      { x: 10, y: 0.4 },
      { x: 20, y: 0.6 }
    ])
    expect(validationPoints([e(10), e(20)])).toEqual([])
    expect(earlyStopLine('early-stopped', 40)).toEqual([
      { x: 40, y: 0 },
      { x: 40, y: 1 }
    ])
    expect(earlyStopLine('completed', 40)).toBeNull()
  })

  it('a new kind keeps the other values it can', () => {
    expect(scheduleOfKind('constant', { kind: 'cosine', minLr: 0, warmup: { iterations: 9 } }, 100)).toEqual({ kind: 'constant', warmup: { iterations: 9 } })
    expect(scheduleOfKind('none', { kind: 'constant' }, 100)).toBeUndefined()
  })
})

describe("why a run stopped early, in the app's language", () => {
  it("reads the engine's sentence back into a key with its numbers", () => {
    const i18n = createAppI18n('ja').global
    const reason = earlyStopReason('early stopping: validation accuracy did not improve by more than 0.5 for 2 evaluations; best 0.2475 at iteration 20')
    expect(reason).toEqual({ key: 'run.earlyStopped.byDeltaBest', params: { patience: '2', minDelta: '0.5', best: '0.2475', iter: '20' } })
    expect(i18n.t(reason!.key, reason!.params)).toBe('早期終了: 検証精度が 2 回続けて 0.5 を超えて改善しませんでした。最良は反復 20 の 0.2475 です。')
    expect(earlyStopReason('early stopping: validation accuracy did not improve for 1 evaluation')).toEqual({
      key: 'run.earlyStopped.plain',
      params: { patience: '1' }
    })
    expect(earlyStopReason('diverged at iteration 3')).toBeNull()
    expect(earlyStopReason(null)).toBeNull()
  })
})
