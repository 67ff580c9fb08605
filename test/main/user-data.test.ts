import { describe, expect, it } from 'vitest'
import { appDataDir, labHome } from '../../src/engine/hosts/node/lab-home'
import { pinUserData, type PathsApp } from '../../src/main/user-data'

/*
 * package.json now has a productName ("Gradient Lab"), which would move Electron's userData folder from
 * `gradient-lab` to `Gradient Lab` and hide every saved run and model. The app pins it to the old folder,
 * the one the CLI computes too.
 */

/** Electron's getPath/setPath, with the default userData Electron derives from the product name. */
function fakeApp(appData: string): PathsApp & { paths: Map<string, string> } {
  const paths = new Map([
    ['appData', appData],
    ['userData', `${appData}/Gradient Lab`]
  ])
  return {
    paths,
    getPath: (name) => paths.get(name)!,
    setPath: (name, path) => void paths.set(name, path)
  }
}

describe('the userData folder', () => {
  it('stays <appData>/gradient-lab, whatever the product name', () => {
    const app = fakeApp('/home/ada/.config')
    expect(pinUserData(app)).toBe('/home/ada/.config/gradient-lab')
    expect(app.paths.get('userData')).toBe('/home/ada/.config/gradient-lab')
  })

  it('is the folder the CLI computes as the lab home, on every platform', () => {
    const cases = [
      { platform: 'linux' as const, env: {}, home: '/home/ada' },
      { platform: 'linux' as const, env: { XDG_CONFIG_HOME: '/xdg' }, home: '/home/ada' },
      { platform: 'darwin' as const, env: {}, home: '/Users/ada' },
      { platform: 'win32' as const, env: { APPDATA: 'C:/Users/ada/AppData/Roaming' }, home: 'C:/Users/ada' }
    ]
    for (const environment of cases) {
      const app = fakeApp(appDataDir(environment))
      expect(pinUserData(app)).toBe(labHome(environment))
    }
  })
})
