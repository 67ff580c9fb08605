import type { AugmentOptions } from '@engine/data/augment'

/*
 * Augmentation as a form shows it: every option with an on/off state and a value. Shared by the
 * settings form of #/train (→ config.augment) and the preview strip of #/data.
 */

export interface AugmentFormValues {
  shift: number
  flip: boolean
  rotate: number
  crop: number
  noise: number
}

export const NO_AUGMENT: AugmentFormValues = { shift: 0, flip: false, rotate: 0, crop: 0, noise: 0 }

/** The options that are on; undefined when none is (a run without augmentation draws nothing extra). */
export function augmentOptions(values: AugmentFormValues): AugmentOptions | undefined {
  const options: AugmentOptions = {}
  if (values.shift > 0) options.shift = values.shift
  if (values.flip) options.flip = true
  if (values.rotate > 0) options.rotate = values.rotate
  if (values.crop > 0) options.crop = values.crop
  if (values.noise > 0) options.noise = values.noise
  return Object.keys(options).length > 0 ? options : undefined
}

export function augmentValues(options: AugmentOptions | undefined): AugmentFormValues {
  return {
    shift: options?.shift ?? 0,
    flip: options?.flip ?? false,
    rotate: options?.rotate ?? 0,
    crop: options?.crop ?? 0,
    noise: options?.noise ?? 0
  }
}
