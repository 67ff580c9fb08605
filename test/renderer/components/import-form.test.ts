import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ImportForm from '@renderer/components/data/ImportForm.vue'
import { createAppI18n } from '@renderer/i18n'

/* The import form in both hosts: what it sends, and what it holds back with a reason beside the field. */

const mountForm = (nativeDialog: boolean) => mount(ImportForm, { props: { nativeDialog, disabled: false }, global: { plugins: [createAppI18n('en')] } })

describe('import form', () => {
  it('desktop: asks for the folder with no name typed (the folder names the set)', async () => {
    const wrapper = mountForm(true)
    expect(wrapper.find('[data-testid="import-folder-input"]').exists()).toBe(false)
    await wrapper.get('[data-field="size"]').setValue('32x24')
    await wrapper.get('form').trigger('submit')
    expect(wrapper.emitted('import-directory')).toEqual([['', { testSplit: 16.7 / 100, seed: 1, strict: false, size: { height: 32, width: 24 } }]])
  })

  it('browser: sends the picked files under the folder name, and names a wrong field instead of sending', async () => {
    const wrapper = mountForm(false)
    const submit = wrapper.get('[data-action="import"]')
    expect(submit.attributes('disabled')).toBeDefined() // nothing picked yet
    const files = [new File(['x'], '1.png'), new File(['y'], '2.png')]
    files.forEach((f, i) => Object.defineProperty(f, 'webkitRelativePath', { value: `leaves/oak/${i}.png` }))
    const input = wrapper.get('[data-testid="import-folder-input"]')
    Object.defineProperty(input.element, 'files', { value: files })
    await input.trigger('change')
    expect((wrapper.get('[data-field="name"]').element as HTMLInputElement).value).toBe('leaves')

    await wrapper.get('[data-field="seed"]').setValue('-1')
    await wrapper.get('form').trigger('submit')
    expect(wrapper.emitted('import-files')).toBeUndefined()
    expect(wrapper.text()).toContain('A whole number from 0 to 4294967295.')

    await wrapper.get('[data-field="seed"]').setValue('3')
    await wrapper.get('form').trigger('submit')
    const [[name, settings, sent]] = wrapper.emitted('import-files') as [string, unknown, File[]][]
    expect(name).toBe('leaves')
    expect(settings).toEqual({ testSplit: 16.7 / 100, seed: 3, strict: false })
    expect(sent).toHaveLength(2)
  })
})
