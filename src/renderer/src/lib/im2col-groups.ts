/*
 * The im2col matrix's columns are ordered channel, filter row, filter column: FH·FW columns per input
 * channel, side by side. Labelling those groups shows which colour (or which map) a column reads.
 */

export interface ColumnGroup {
  /** 'R', 'G', 'B' for an RGB image's channels; the channel number otherwise. */
  label: string
  /** First column of the group and how many columns it has. */
  start: number
  width: number
}

const RGB = ['R', 'G', 'B'] as const

/** One group per input channel; `rgbInput` when the layer reads the colour image itself (its first layer). */
export function channelGroups(channels: number, filterHeight: number, filterWidth: number, rgbInput: boolean): ColumnGroup[] {
  const width = filterHeight * filterWidth
  const named = rgbInput && channels === 3
  return Array.from({ length: channels }, (_, c) => ({ label: named ? RGB[c] : String(c), start: c * width, width }))
}
