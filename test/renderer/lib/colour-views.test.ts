import { describe, expect, it } from 'vitest'
import { asByte, enlargeRgba, flattenFilter, layerMaxAbs, planesToRgba, quantileMaxAbs, signedToByte, unitToByte } from '@renderer/lib/colour-image'
import { channelGroups } from '@renderer/lib/im2col-groups'
import { COMPACT_FROM, cellMaxima, cellShade, confusionLabels, relativeLuminance, shortLabel } from '@renderer/lib/models/confusion'
import { accuracyBasis, accuracyBasisText } from '@renderer/lib/models/accuracy-basis'
import { bestClass, canDraw, classScoreRows, needsImageFile } from '@renderer/lib/draw/model-input'
import { StoredWeightsSchema } from '@renderer/lib/storage/run-record'
import { mount } from '@vue/test-utils'
import ConfusionMatrix from '@renderer/components/models/ConfusionMatrix.vue'
import { RunConfigSchema } from '@engine/config/run-config'
import { PRESETS } from '@engine/presets'

const pixel = (rgba: ArrayLike<number>, i: number): number[] => Array.from(rgba).slice(i * 4, i * 4 + 4)

describe('colour filters and images', () => {
  it('draws signed weights around grey: 0 is grey, ±maxAbs the ends, beyond saturates', () => {
    const toByte = signedToByte(0.5)
    expect(toByte(0)).toBe(128)
    expect(toByte(0.5)).toBe(255)
    expect(toByte(-0.5)).toBe(0)
    expect(toByte(0.25)).toBe(191)
    expect(toByte(3)).toBe(255)
    expect(toByte(-3)).toBe(0)
    expect(toByte(Number.NaN)).toBe(0)
    // A layer of zeros (maxAbs 0) is all grey, not NaN.
    expect(signedToByte(0)(0)).toBe(128)
  })

  it('reads [C, H, W] planes: channel 0 red, 1 green, 2 blue, for every pixel', () => {
    // A 1×2 RGB filter: pixel 0 pure positive red, pixel 1 negative green and positive blue.
    const filter = [[[1, 0]], [[0, -1]], [[0, 0.5]]]
    const values = flattenFilter(filter)
    expect(values).toEqual([1, 0, 0, -1, 0, 0.5])
    const rgba = planesToRgba({ values, channels: 3, rows: 1, cols: 2 }, signedToByte(layerMaxAbs([filter])))
    expect(pixel(rgba, 0)).toEqual([255, 128, 128, 255])
    expect(pixel(rgba, 1)).toEqual([128, 0, 191, 255])
  })

  it('uses one scale for the whole layer: the same weight gives the same colour in every filter', () => {
    const strong = [[[2]], [[0]], [[0]]]
    const weak = [[[0.5]], [[0]], [[0]]]
    const max = layerMaxAbs([strong, weak])
    expect(max).toBe(2)
    const weakAlone = planesToRgba({ values: flattenFilter(weak), channels: 3, rows: 1, cols: 1 }, signedToByte(layerMaxAbs([weak])))
    const weakInLayer = planesToRgba({ values: flattenFilter(weak), channels: 3, rows: 1, cols: 1 }, signedToByte(max))
    expect(weakAlone[0]).toBe(255)
    expect(weakInLayer[0]).toBe(159)
  })

  it('draws grey images in grey and data bytes or [0, 1] values as they are', () => {
    const grey = planesToRgba({ values: [0, 0.5, 1], channels: 1, rows: 1, cols: 3 }, unitToByte)
    expect([pixel(grey, 0), pixel(grey, 1), pixel(grey, 2)]).toEqual([
      [0, 0, 0, 255],
      [128, 128, 128, 255],
      [255, 255, 255, 255]
    ])
    const colour = planesToRgba({ values: [10, 20, 30], channels: 3, rows: 1, cols: 1 }, asByte)
    expect(pixel(colour, 0)).toEqual([10, 20, 30, 255])
  })

  it('refuses what is not a 1- or 3-channel image, and too few values', () => {
    expect(() => planesToRgba({ values: [0, 0], channels: 2, rows: 1, cols: 1 }, asByte)).toThrow(/1 or 3 channels/)
    expect(() => planesToRgba({ values: [0, 0], channels: 3, rows: 1, cols: 1 }, asByte)).toThrow(/needs 3 values/)
  })

  it('enlarges every pixel to a block, row by row', () => {
    const rgba = new Uint8ClampedArray([1, 2, 3, 255, 4, 5, 6, 255])
    const big = enlargeRgba(rgba, 1, 2, 2, 3)
    expect(big.length).toBe(4 * 3 * 4)
    for (let y = 0; y < 3; y++) {
      expect(pixel(big, y * 4)).toEqual([1, 2, 3, 255])
      expect(pixel(big, y * 4 + 1)).toEqual([1, 2, 3, 255])
      expect(pixel(big, y * 4 + 2)).toEqual([4, 5, 6, 255])
      expect(pixel(big, y * 4 + 3)).toEqual([4, 5, 6, 255])
    }
  })

  it('scales many units on a quantile of |w|, so one outlier does not wash the others out', () => {
    const values = [...Array.from({ length: 999 }, (_, i) => (i % 2 ? 0.1 : -0.1)), 50]
    expect(quantileMaxAbs(values)).toBeCloseTo(0.1)
    expect(quantileMaxAbs([])).toBe(0)
  })
})

describe('im2col column groups', () => {
  it('labels the columns of an RGB first layer R, G, B, FH·FW columns each', () => {
    expect(channelGroups(3, 5, 5, true)).toEqual([
      { label: 'R', start: 0, width: 25 },
      { label: 'G', start: 25, width: 25 },
      { label: 'B', start: 50, width: 25 }
    ])
  })

  it('numbers the channels of a hidden layer, even when it has three', () => {
    expect(channelGroups(3, 2, 2, false).map((g) => g.label)).toEqual(['0', '1', '2'])
    expect(channelGroups(16, 3, 3, true).map((g) => g.label)).toEqual(Array.from({ length: 16 }, (_, i) => String(i)))
    expect(channelGroups(16, 3, 3, false).at(-1)).toEqual({ label: '15', start: 135, width: 9 })
  })
})

describe('confusion matrix labels', () => {
  it('uses the class names when they fit the matrix, the indices otherwise', () => {
    expect(confusionLabels(['cat', 'dog'], 2)).toEqual(['cat', 'dog'])
    expect(confusionLabels(['cat', 'dog'], 3)).toEqual(['0', '1', '2'])
    expect(confusionLabels(undefined, 2)).toEqual(['0', '1'])
  })

  it('shortens long names by code point, with an ellipsis', () => {
    expect(shortLabel('aquarium_fish', 12)).toBe('aquarium_fi…')
    expect(shortLabel('maple_tree', 12)).toBe('maple_tree')
    expect(shortLabel('ひらがなのあいうえお', 5)).toBe('ひらがなの'.slice(0, 4) + '…')
    expect(shortLabel('🍎🍏🍐', 2)).toBe('🍎…')
  })

  it('shades right answers green and errors red, on their own maxima, nothing for zero', () => {
    const confusion = [
      [90, 2, 0],
      [8, 80, 0],
      [0, 1, 99]
    ]
    expect(cellMaxima(confusion)).toEqual({ diagonal: 99, offDiagonal: 8 })
    expect(cellShade(0, 8, false)).toBeNull()
    const worst = cellShade(8, 8, false)!
    expect(worst.background).toBe('rgb(185, 28, 28)')
    expect(worst.dark).toBe(true)
    const faint = cellShade(1, 99, true)!
    expect(faint.dark).toBe(false)
    // Every strength, on and off the diagonal, keeps its text at WCAG AA contrast (4.5:1) or better.
    const contrast = (a: number, b: number): number => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)
    for (const diagonal of [true, false]) {
      for (let count = 1; count <= 200; count++) {
        const shade = cellShade(count, 200, diagonal)!
        const background = relativeLuminance(shade.background.match(/\d+/g)!.map(Number))
        expect(contrast(background, shade.dark ? 1 : 0), `${count} on ${diagonal ? 'the diagonal' : 'off it'}`).toBeGreaterThanOrEqual(4.5)
      }
    }
  })

  it('is compact from 13 classes: 10 MNIST classes keep the roomy layout, CIFAR-100 does not', () => {
    expect(10).toBeLessThan(COMPACT_FROM)
    expect(100).toBeGreaterThanOrEqual(COMPACT_FROM)
  })
})

describe('which test images a model accuracy counted', () => {
  // cnn-simple as the course runs it: tests on the first 1,000 test images (testLimit), the case the issue names.
  const cnnSimple = RunConfigSchema.parse(PRESETS.find((p) => p.id === 'cnn-simple')!.config)
  const withSubset = { ...cnnSimple, testLimit: undefined, evalSubset: 1000 }

  it('the course cnn-simple checkpoint: its accuracy counted the first 1,000 of the 2,000 test images', () => {
    expect(cnnSimple.testLimit).toBe(1000)
    const summary = { config: cnnSimple, metrics: { iter: cnnSimple.iterations, loss: 0.3, trainAcc: 0.9, testAcc: 0.892 } }
    expect(accuracyBasis(summary, { iter: cnnSimple.iterations }, 2000)).toEqual({ kind: 'first', images: 1000, of: 2000 })
  })
  const format = (n: number): string => n.toLocaleString('en-US')

  it('a checkpoint saved mid-run: its last evaluation used the first evalSubset images (from the record)', () => {
    const summary = { config: withSubset, metrics: { iter: 600, loss: 0.3, trainAcc: 0.9, testAcc: 0.892 } }
    const basis = accuracyBasis(summary, { iter: 600, subset: { train: 1000, test: 1000 } }, 2000)
    expect(basis).toEqual({ kind: 'first', images: 1000, of: 2000 })
    expect(accuracyBasisText(basis!, format)).toEqual({ key: 'models.basisFirstOf', params: { images: '1,000', of: '2,000' } })
  })

  it('a final evaluation used every test image, and says how many when the data are loaded', () => {
    const summary = { config: withSubset, metrics: { iter: withSubset.iterations, loss: 0.3, trainAcc: 0.9, testAcc: 0.9 } }
    expect(accuracyBasis(summary, { iter: withSubset.iterations }, 2000)).toEqual({ kind: 'all', images: 2000 })
    expect(accuracyBasisText({ kind: 'all', images: 2000 }, format)).toEqual({ key: 'models.basisAll', params: { images: '2,000' } })
    expect(accuracyBasisText({ kind: 'all', images: null }, format).key).toBe('models.basisAllUnknown')
  })

  it('a plain model without its evaluation record: the trainer rule (intermediate evaluations on the subset)', () => {
    const stopped = { config: withSubset, metrics: { iter: 300, loss: 0.3, trainAcc: 0.9, testAcc: 0.88 } }
    expect(accuracyBasis(stopped, null, null)).toEqual({ kind: 'first', images: 1000, of: null })
    // A subset as large as the test split cuts nothing.
    expect(accuracyBasis({ ...stopped, config: { ...withSubset, evalSubset: 5000 } }, null, 2000)).toEqual({ kind: 'all', images: 2000 })
  })

  it('a run with a test limit counted its first testLimit images, even at its end', () => {
    const limited = { ...cnnSimple, testLimit: 500 }
    const summary = { config: limited, metrics: { iter: limited.iterations, loss: 0.3, trainAcc: 0.9, testAcc: 0.9 } }
    expect(accuracyBasis(summary, null, 2000)).toEqual({ kind: 'first', images: 500, of: 2000 })
    // A limit above the set's size is the whole set ("at most").
    expect(accuracyBasis({ ...summary, config: { ...limited, testLimit: 9000 } }, null, 2000)).toEqual({ kind: 'all', images: 2000 })
  })

  it('says nothing without a test accuracy', () => {
    expect(accuracyBasis({ config: withSubset, metrics: null }, null, 2000)).toBeNull()
    expect(accuracyBasis({ config: withSubset, metrics: { iter: 1, loss: null, trainAcc: null, testAcc: null } }, null, 2000)).toBeNull()
  })
})

describe('#/draw: what a model can take, and its class scores', () => {
  it('draws for 28×28 grey models only; any other model asks for an image file, saying what it takes', () => {
    expect(canDraw([1, 28, 28])).toBe(true)
    expect(needsImageFile([1, 28, 28])).toBeNull()
    expect(canDraw([3, 32, 32])).toBe(false)
    expect(needsImageFile([3, 32, 32])).toEqual({ key: 'draw.needsColourFile', params: { rows: 32, cols: 32 } })
    expect(canDraw([1, 64, 48])).toBe(false)
    expect(needsImageFile([1, 64, 48])).toEqual({ key: 'draw.needsGreyFile', params: { rows: 64, cols: 48 } })
  })

  it('lists every class in order up to ten, with its name', () => {
    const rows = classScoreRows([0.1, 0.7, 0.2], ['cat', 'dog', 'frog'])
    expect(rows).toEqual([
      { index: 0, name: 'cat', probability: 0.1 },
      { index: 1, name: 'dog', probability: 0.7 },
      { index: 2, name: 'frog', probability: 0.2 }
    ])
    // Names that do not fit the scores: the indices.
    expect(classScoreRows([0.5, 0.5], ['a']).map((r) => r.name)).toEqual(['0', '1'])
  })

  it('shows the ten most likely of many classes, best first (ties by index)', () => {
    const probabilities = Array.from({ length: 100 }, (_, i) => (i === 42 ? 0.5 : i === 7 ? 0.2 : 0.3 / 98))
    const names = Array.from({ length: 100 }, (_, i) => `class ${i}`)
    const rows = classScoreRows(probabilities, names)
    expect(rows).toHaveLength(10)
    expect(rows.slice(0, 3).map((r) => r.name)).toEqual(['class 42', 'class 7', 'class 0'])
    expect(bestClass(probabilities)).toBe(42)
    expect(bestClass([0.5, 0.5])).toBe(0)
    expect(bestClass(null)).toBeNull()
  })
})

describe('colour units kept with a run', () => {
  const layer = {
    layer: 'affine1',
    shape: [12, 2],
    count: 24,
    nearZero: 0,
    nonFinite: 0,
    maxAbs: 1,
    histogram: { lo: -1, hi: 1, counts: [1] },
    magnitude: { lo: -6, hi: 1, counts: [1], below: 0 }
  }

  it("keeps a colour run's channels, so its [3, H, W] units are not read as grey ones", () => {
    const units = { layer: 'affine1', channels: 3, rows: 2, cols: 2, units: 2, shown: 1, values: Array.from({ length: 12 }, (_, i) => i / 12) }
    expect(StoredWeightsSchema.parse({ iter: 5, layers: [layer], units }).units?.channels).toBe(3)
  })

  it('reads units kept before colour data as grey', () => {
    const units = { layer: 'affine1', rows: 2, cols: 2, units: 2, shown: 1, values: [0, 0.1, 0.2, 0.3] }
    expect(StoredWeightsSchema.parse({ iter: 5, layers: [layer], units }).units?.channels).toBe(1)
  })
})

describe('the confusion matrix component', () => {
  const props = (k: number, names: string[]) => ({
    confusion: Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? 5 : i === 0 && j === 1 ? 2 : 0))),
    classes: names,
    caption: 'Confusion',
    trueLabel: 'true',
    predictedLabel: 'predicted',
    regionLabel: 'Confusion matrix'
  })

  it('heads a small matrix with the class names and shows every count', () => {
    const wrapper = mount(ConfusionMatrix, { props: props(3, ['cat', 'dog', 'frog']) })
    expect(wrapper.findAll('tbody th').map((th) => th.text())).toEqual(['cat', 'dog', 'frog'])
    expect(wrapper.findAll('thead th.confusion__col .visually-hidden').map((s) => s.text())).toEqual(['cat', 'dog', 'frog'])
    expect(wrapper.find('.confusion-box--compact').exists()).toBe(false)
    expect(wrapper.find('[data-cell="0-2"]').text()).toBe('0')
    expect(wrapper.find('[data-cell="0-1"]').text()).toBe('2')
  })

  it('makes a 100-class matrix compact: short column labels, full names for screen readers, zeros blank to the eye only', () => {
    const names = Array.from({ length: 100 }, (_, i) => `a_rather_long_class_name_${i}`)
    const wrapper = mount(ConfusionMatrix, { props: props(100, names) })
    expect(wrapper.find('.confusion-box--compact').exists()).toBe(true)
    expect(wrapper.find('[data-testid="confusion-box"]').attributes('tabindex')).toBe('0')
    const first = wrapper.find('thead th.confusion__col')
    expect(first.attributes('title')).toBe(names[0])
    expect(first.find('[aria-hidden="true"]').text()).toBe('a_rather_lo…')
    expect(first.find('.visually-hidden').text()).toBe(names[0])
    const zero = wrapper.find('[data-cell="0-2"]')
    expect(zero.find('.visually-hidden').text()).toBe('0')
    expect(wrapper.find('[data-cell="0-1"]').text()).toBe('2')
    expect(wrapper.findAll('tbody tr')).toHaveLength(100)
  })
})
