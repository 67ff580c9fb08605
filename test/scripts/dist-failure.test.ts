/** `npm run dist` offline: electron-builder's real failure here becomes one line that says what to do. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error plain .mjs script without types
import { offlineDistMessage } from '../../scripts/lib/dist-failure.mjs'

// What electron-builder 26.17 printed on this offline machine (`--linux dir`, no Electron in its cache).
const OFFLINE = `  ⨯ getaddrinfo ENOTFOUND github.com  failedTask=build stackTrace=RequestError: getaddrinfo ENOTFOUND github.com
    at ClientRequest.<anonymous> (/work/main/node_modules/got/dist/source/core/index.js:970:111)
    at GetAddrInfoReqWrap.onlookupall [as oncomplete] (node:dns:122:26)`

describe('npm run dist when the network is missing', () => {
  it('is one line: what failed, and the mirror or local-folder way round it', () => {
    const line = offlineDistMessage(OFFLINE, '45.5.0')
    expect(line).toMatch(/^dist: electron-builder could not download Electron 45\.5\.0 .*ENOTFOUND github\.com: no network/)
    expect(line).toContain('ELECTRON_MIRROR')
    expect(line).toContain('-c.electronDist=')
    expect(line).not.toContain('\n')
    expect(line).not.toContain('at ClientRequest')
  })

  it('leaves any other failure to electron-builder’s own message', () => {
    expect(offlineDistMessage('  ⨯ Please specify project homepage, see https://www.electron.build/configuration#metadata', '45.5.0')).toBeNull()
  })

  it('npm run dist goes through scripts/dist.mjs', () => {
    expect(JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')).scripts.dist).toBe('electron-vite build && node scripts/dist.mjs')
  })
})
