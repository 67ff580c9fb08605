import { expect, test } from '@playwright/test'
import { fieldError, openTrainWithDataset, screenshot, setField, shortRun, watchProblems } from './helpers'

test('schedule, validation split and early stopping: set in the form, refused where wrong, a run that stops early draws its validation curve', async ({
  page
}) => {
  const watch = watchProblems(page)
  await openTrainWithDataset(page)
  await shortRun(page, 'vg-relu-he', 400)
  await setField(page, 'evalInterval', '20')

  // A cosine schedule with a warm-up, typed from the keyboard.
  await page.locator('[data-testid="schedule-settings"] select').selectOption('cosine')
  await setField(page, 'lrSchedule.warmup.iterations', '40')
  await setField(page, 'lrSchedule.minLr', '-1')
  await expect(fieldError(page, 'lrSchedule.minLr')).toHaveText('Must be 0 or more.')
  await setField(page, 'lrSchedule.minLr', '0.001')
  await expect(fieldError(page, 'lrSchedule.minLr')).toHaveCount(0)

  // Early stopping needs a split: the message sits under its checkbox until there is one.
  await page.locator('[data-field-input="earlyStopping"]').check()
  await expect(fieldError(page, 'earlyStopping')).toHaveText('Needs a validation split to watch: set one above.')
  await expect(page.locator('[data-action="start"]')).toBeDisabled()
  await setField(page, 'validation', '0.1')
  await setField(page, 'earlyStopping.patience', '2')
  // min-delta 0.5: no evaluation after the first counts as better, so the run stops at its third evaluation.
  await setField(page, 'earlyStopping.minDelta', '0.5')
  await expect(page.getByTestId('field-error')).toHaveCount(0)
  await page.locator('[data-action="start"]').click()
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'early-stopped', { timeout: 60_000 })
  await expect(page.getByTestId('run-status')).toContainText('Stopped early')
  await expect(page.getByTestId('run-status')).toContainText('after 60 iterations')
  await expect(page.getByTestId('run-status')).toContainText(
    /Early stopping: validation accuracy did not improve by more than 0\.5 for 2 evaluations in a row; best 0\.\d+ at iteration 20\./
  )
  await screenshot(page, 'train-schedule-early-stop-en')

  await page.getByTestId('language').selectOption('ja')
  await expect(page.getByTestId('run-status')).toContainText(/早期終了: 検証精度が 2 回続けて 0\.5 を超えて改善しませんでした。最良は反復 20 の 0\.\d+ です。/)
  await expect(page.getByTestId('schedule-settings')).toContainText('学習率スケジュール')
  await expect(page.getByTestId('stopping-settings')).toContainText('検証データと早期終了')
  await screenshot(page, 'train-schedule-early-stop-ja')
  watch.assertNone()
})
