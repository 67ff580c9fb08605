import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { createUrlTrust } from '../../src/main/trusted-url'

const index = '/opt/gradient-lab/out/renderer/index.html'
const indexUrl = pathToFileURL(index).href

describe('createUrlTrust (packaged / preview: file://)', () => {
  const trust = createUrlTrust({ rendererIndexFile: index })

  it('treats only the renderer index file as the app page', () => {
    expect(trust.isAppPage(indexUrl)).toBe(true)
    expect(trust.isAppPage(`${indexUrl}#/compare`)).toBe(true)
    expect(trust.isAppPage(`${indexUrl}?lang=ja`)).toBe(true)
    expect(trust.isAppPage(pathToFileURL('/opt/gradient-lab/out/renderer/other.html').href)).toBe(false)
    expect(trust.isAppPage('file:///etc/passwd')).toBe(false)
    expect(trust.isAppPage('https://example.com/')).toBe(false)
    expect(trust.isAppPage('http://localhost:5173/')).toBe(false)
    expect(trust.isAppPage('not a url')).toBe(false)
  })

  it('allows only local renderer files and inline data', () => {
    expect(trust.isAllowedRequest(pathToFileURL('/opt/gradient-lab/out/renderer/assets/index-abc.js').href)).toBe(true)
    expect(trust.isAllowedRequest(indexUrl)).toBe(true)
    expect(trust.isAllowedRequest('data:image/png;base64,AAAA')).toBe(true)
    expect(trust.isAllowedRequest('blob:file:///1234')).toBe(true)
    expect(trust.isAllowedRequest('devtools://devtools/bundled/devtools_app.html')).toBe(true)
    expect(trust.isAllowedRequest('file:///opt/gradient-lab/out/renderer-evil/x.js')).toBe(false)
    expect(trust.isAllowedRequest('file:///opt/gradient-lab/out/main/index.js')).toBe(false)
    expect(trust.isAllowedRequest('file:///opt/gradient-lab/out/renderer/../main/index.js')).toBe(false)
    expect(trust.isAllowedRequest('https://cdn.example.com/chart.js')).toBe(false)
    expect(trust.isAllowedRequest('http://127.0.0.1:5180/')).toBe(false)
    expect(trust.isAllowedRequest('ws://localhost:5173/')).toBe(false)
  })
})

describe('createUrlTrust (electron-vite dev server)', () => {
  const trust = createUrlTrust({ rendererIndexFile: index, devServerUrl: 'http://localhost:5173' })
  it('accepts the dev server origin, its HMR socket and nothing else remote', () => {
    expect(trust.isAppPage('http://localhost:5173/')).toBe(true)
    expect(trust.isAppPage('http://localhost:5173/#/train')).toBe(true)
    expect(trust.isAppPage('http://localhost:5174/')).toBe(false)
    expect(trust.isAllowedRequest('http://localhost:5173/src/main.ts')).toBe(true)
    expect(trust.isAllowedRequest('ws://localhost:5173/?token=x')).toBe(true)
    expect(trust.isAllowedRequest('https://localhost:5173/')).toBe(false)
    expect(trust.isAllowedRequest('https://example.com/')).toBe(false)
  })
})

describe('createUrlTrust on Windows (drive letter case)', () => {
  // Started from `c:\…`: Node keeps the lower-case drive letter, Chromium reports file:///C:/…
  const trust = createUrlTrust({ rendererIndexFile: 'c:\\Users\\Ann\\gradient-lab\\out\\renderer\\index.html', platform: 'win32' })

  it('accepts the app page whatever the case of the drive letter', () => {
    expect(trust.isAppPage('file:///C:/Users/Ann/gradient-lab/out/renderer/index.html#/train')).toBe(true)
    expect(trust.isAppPage('file:///c:/Users/Ann/gradient-lab/out/renderer/index.html')).toBe(true)
    expect(trust.isAllowedRequest('file:///C:/Users/Ann/gradient-lab/out/renderer/assets/index-1.js')).toBe(true)
  })

  it('still refuses other files and other drives', () => {
    expect(trust.isAppPage('file:///D:/Users/Ann/gradient-lab/out/renderer/index.html')).toBe(false)
    expect(trust.isAppPage('file:///C:/Users/Ann/gradient-lab/out/renderer/other.html')).toBe(false)
    expect(trust.isAllowedRequest('file:///C:/Users/Ann/gradient-lab/out/main/index.js')).toBe(false)
    expect(trust.isAllowedRequest('file:///C:/Users/Ann/gradient-lab/out/renderer-evil/x.js')).toBe(false)
  })
})
