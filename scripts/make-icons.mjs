#!/usr/bin/env node
// Renders build/icon.svg to the PNG icons electron-builder packs (it derives .ico and .icns from them):
// build/icon.png (512) and build/icons/<size>x<size>.png for Linux. Uses the Chromium the tests use, so
// no image tool is needed; the PNGs are committed, so packaging does not need Chromium.
//   node scripts/make-icons.mjs
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { chromium } from '@playwright/test'

const root = resolve(import.meta.dirname, '..')
const svg = readFileSync(join(root, 'build', 'icon.svg'), 'utf8')
const SIZES = [16, 32, 48, 64, 128, 256, 512]

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
})
try {
  mkdirSync(join(root, 'build', 'icons'), { recursive: true })
  for (const size of SIZES) {
    const page = await browser.newPage({ viewport: { width: size, height: size } })
    const sized = svg.replace(/width="512" height="512"/, `width="${size}" height="${size}"`)
    await page.setContent(`<html><body style="margin:0;background:transparent">${sized}</body></html>`)
    const png = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } })
    writeFileSync(join(root, 'build', 'icons', `${size}x${size}.png`), png)
    if (size === 512) writeFileSync(join(root, 'build', 'icon.png'), png)
    await page.close()
  }
  console.log(`icons: build/icon.png and build/icons/{${SIZES.join(',')}}.png`)
} finally {
  await browser.close()
}
