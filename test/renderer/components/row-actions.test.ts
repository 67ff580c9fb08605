import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import type { DatasetEntry } from '@engine/protocol'
import { createAppI18n } from '@renderer/i18n'
import RowActions, { type RowAction } from '@renderer/components/RowActions.vue'
import DatasetTable from '@renderer/components/data/DatasetTable.vue'
import RunList, { type RunRow } from '@renderer/components/runs/RunList.vue'

/* RowActions: the small buttons of a table row or list item (the data library, the run list, the models table). */

const i18n = (locale: 'en' | 'ja' = 'en') => ({ global: { plugins: [createAppI18n(locale)] } })

describe('row actions', () => {
  it('draws one small button per action, in order, with its kind, state and accessible name, and runs it on click', async () => {
    const ran: string[] = []
    const actions: RowAction[] = [
      { action: 'open', text: 'Open', kind: 'primary', run: () => ran.push('open') },
      { action: 'copy', text: 'Copy', label: 'Copy run 7', disabled: true, run: () => ran.push('copy') },
      { action: 'drop', text: 'Drop', kind: 'danger', run: () => ran.push('drop') }
    ]
    const wrapper = mount({ components: { RowActions }, data: () => ({ actions }), template: '<td><RowActions :actions="actions" /></td>' })
    const buttons = wrapper.findAll('button')
    expect(buttons.map((b) => b.attributes('data-action'))).toEqual(['open', 'copy', 'drop'])
    expect(buttons.map((b) => b.classes())).toEqual([
      ['btn', 'btn--small', 'btn--primary'],
      ['btn', 'btn--small'],
      ['btn', 'btn--small', 'btn--danger']
    ])
    expect(buttons.map((b) => b.attributes('type'))).toEqual(['button', 'button', 'button'])
    expect(buttons.map((b) => b.text())).toEqual(['Open', 'Copy', 'Drop'])
    expect(buttons[0].attributes('disabled')).toBeUndefined()
    expect(buttons[0].attributes('aria-label')).toBeUndefined()
    expect(buttons[1].attributes('disabled')).toBeDefined()
    expect(buttons[1].attributes('aria-label')).toBe('Copy run 7')
    // The buttons are the cell's own children: no wrapper between them and the caller's layout.
    expect(wrapper.element.children).toHaveLength(3)
    await buttons[2].trigger('click')
    await buttons[0].trigger('click')
    expect(ran).toEqual(['drop', 'open'])
  })
})

const set = (name: string, stored: boolean, problem?: string): DatasetEntry => ({
  name,
  source: stored ? 'folders' : 'bundled',
  stored,
  train: 10,
  test: 5,
  channels: 1,
  height: 28,
  width: 28,
  classes: ['a', 'b'],
  fingerprint: 'f',
  createdAt: null,
  skipped: [],
  ...(problem ? { problem } : {})
})

describe('the data library table actions', () => {
  const mountTable = (using: string | null, disabled = false, locale: 'en' | 'ja' = 'en') =>
    mount(DatasetTable, {
      props: { sets: [set('mnist', false), set('shapes', true), set('broken', true, 'unreadable')], active: 'mnist', using, disabled },
      ...i18n(locale)
    })
  const actionsOf = (wrapper: ReturnType<typeof mountTable>, name: string) =>
    wrapper.findAll(`tr[data-set="${name}"] button`).map((b) => [b.attributes('data-action'), b.attributes('disabled') !== undefined])

  it('offers "use" on every set but the active one, and rename / remove only on stored sets', async () => {
    const wrapper = mountTable(null)
    expect(actionsOf(wrapper, 'mnist')).toEqual([])
    expect(actionsOf(wrapper, 'shapes')).toEqual([
      ['use-set', false],
      ['rename-set', false],
      ['remove-set', false]
    ])
    expect(actionsOf(wrapper, 'broken')[0]).toEqual(['use-set', true])
    expect(wrapper.get('tr[data-set="shapes"] [data-action="use-set"]').attributes('aria-label')).toBe('Use this set: shapes')
    await wrapper.get('tr[data-set="shapes"] [data-action="remove-set"]').trigger('click')
    await wrapper.get('tr[data-set="shapes"] [data-action="use-set"]').trigger('click')
    expect(wrapper.emitted('remove')).toEqual([['shapes']])
    expect(wrapper.emitted('use')).toEqual([['shapes']])
  })

  it('says which set is being switched to, and holds every button while the table is disabled', () => {
    const using = mountTable('shapes', false, 'ja')
    expect(using.get('tr[data-set="shapes"] [data-action="use-set"]').text()).toBe(createAppI18n('ja').global.t('data.list.using'))
    expect(actionsOf(mountTable(null, true), 'shapes').every(([, off]) => off)).toBe(true)
  })
})

describe('the run list actions', () => {
  const row = (id: string, live: boolean): RunRow => ({
    id,
    label: `run ${id}`,
    seed: 1,
    status: 'completed',
    statusText: 'done',
    testAcc: '',
    when: '',
    live,
    selected: false
  })

  it('re-runs when the engine can, and never deletes a live run', async () => {
    const wrapper = mount(RunList, {
      props: { rows: [row('a', false), row('b', true)], total: 2, heading: 'Runs', emptyText: '', canRerun: false },
      ...i18n()
    })
    const state = (id: string) =>
      wrapper.findAll(`[data-run-id="${id}"] button`).map((b) => [b.attributes('data-action'), b.attributes('disabled') !== undefined])
    expect(state('a')).toEqual([
      ['rerun', true],
      ['delete', false]
    ])
    expect(state('b')).toEqual([
      ['rerun', true],
      ['delete', true]
    ])
    expect(wrapper.get('[data-run-id="a"] [data-action="delete"]').attributes('aria-label')).toBe('Delete run a')
    await wrapper.get('[data-run-id="a"] [data-action="delete"]').trigger('click')
    expect(wrapper.emitted('remove')).toEqual([['a']])
  })
})
