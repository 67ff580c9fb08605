import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import RunProgress from '@renderer/components/RunProgress.vue'
import { createAppI18n } from '@renderer/i18n'

/* The #/train progress area: iterations, and a line for the evaluation that training waits for. */

const mountProgress = (locale: 'en' | 'ja', evaluating: { done: number; total: number } | null) =>
  mount(RunProgress, { props: { iter: 10, total: 1000, itersPerSec: 4, secondsLeft: 250, evaluating }, global: { plugins: [createAppI18n(locale)] } })

describe('run progress', () => {
  it('says how many images an evaluation has done, in English and in Japanese', () => {
    const en = mountProgress('en', { done: 3000, total: 6000 })
    expect(en.get('[data-testid="progress-evaluating"]').text()).toBe('evaluating 3,000 / 6,000 images')
    expect(en.get('.progress').attributes('data-evaluated')).toBe('3000')
    const ja = mountProgress('ja', { done: 3000, total: 6000 })
    expect(ja.get('[data-testid="progress-evaluating"]').text()).toBe('評価中 3,000 / 6,000 枚')
  })

  it('shows no evaluation line between evaluations', () => {
    const wrapper = mountProgress('en', null)
    expect(wrapper.find('[data-testid="progress-evaluating"]').exists()).toBe(false)
    expect(wrapper.get('.progress').attributes('data-evaluated')).toBeUndefined()
    expect(wrapper.get('[data-testid="progress-iterations"]').text()).toBe('Iteration 10 / 1,000')
  })
})
