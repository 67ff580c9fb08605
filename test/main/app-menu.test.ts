import { describe, expect, it } from 'vitest'
import { applicationMenuTemplate, devToolsAllowed } from '../../src/main/app-menu'

describe('the application menu and DevTools', () => {
  it('keeps the default menu and DevTools while developing', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) expect(applicationMenuTemplate(platform, false)).toBeUndefined()
    expect(devToolsAllowed(false)).toBe(true)
  })

  it('a packaged build has no menu on Windows and Linux, and no DevTools anywhere', () => {
    expect(applicationMenuTemplate('linux', true)).toBeNull()
    expect(applicationMenuTemplate('win32', true)).toBeNull()
    expect(devToolsAllowed(true)).toBe(false)
  })

  it('a packaged macOS build keeps the app, Edit and Window menus, and nothing that opens DevTools', () => {
    const menu = applicationMenuTemplate('darwin', true)
    expect(menu?.map((item) => item.role)).toEqual(['appMenu', 'editMenu', 'windowMenu'])
    expect(JSON.stringify(menu)).not.toMatch(/viewMenu|toggleDevTools|reload/)
  })
})
