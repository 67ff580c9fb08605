import { expect, test as base } from '@playwright/test'
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { openTrainWithDataset, watchProblems } from './helpers'

// Playwright loads specs as CommonJS here (package.json has no "type": "module"), so __dirname it is.
const BUNDLED = resolve(__dirname, '../../resources/mnist')
const FILES = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']

/**
 * A temporary folder with some of the bundled files. It lives until the test ends: the browser reads a
 * picked file only when the page asks for its bytes.
 */
const test = base.extend<{ folderWith: (files: string[]) => string }>({
  folderWith: async ({}, use) => {
    const dirs: string[] = []
    await use((files) => {
      const dir = mkdtempSync(join(tmpdir(), 'mnist-import-'))
      for (const f of files) copyFileSync(join(BUNDLED, f), join(dir, f))
      dirs.push(dir)
      return dir
    })
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  }
})

test('a folder missing a file is reported by name and the bundled dataset stays active', async ({ page, folderWith }) => {
  const watch = watchProblems(page)
  await openTrainWithDataset(page)
  const nameBefore = await page.getByTestId('dataset-name').textContent()

  await page.getByTestId('folder-input').setInputFiles(folderWith(FILES.filter((f) => !f.startsWith('t10k-labels'))))

  const alert = page.getByRole('alert')
  await expect(alert).toHaveCount(1)
  await expect(alert).toContainText('t10k-labels-idx1-ubyte')
  await expect(alert).not.toContainText('train-images-idx3-ubyte')
  await expect(page.getByTestId('dataset-name')).toHaveText(nameBefore!)
  await expect(page.getByTestId('dataset-train')).toHaveText('8,000')
  await expect(page.getByTestId('dataset-test')).toHaveText('2,000')
  await expect(page.locator('[data-action="start"]')).toBeEnabled()

  // The alert can be dismissed from the keyboard.
  await alert.getByRole('button').focus()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('alert')).toHaveCount(0)

  watch.assertNone()
})

test('a complete folder is loaded by the engine and replaces the dataset', async ({ page, folderWith }) => {
  const watch = watchProblems(page)
  await openTrainWithDataset(page)

  const dir = folderWith(FILES)
  await page.getByTestId('folder-input').setInputFiles(dir)

  const folderName = dir.split('/').at(-1)!
  await expect(page.getByTestId('dataset-name')).toHaveText(folderName)
  await expect(page.getByTestId('dataset-train')).toHaveText('8,000')
  await expect(page.getByRole('alert')).toHaveCount(0)

  watch.assertNone()
})
