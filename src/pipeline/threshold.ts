import type { BinaryImage, GrayImage } from './image.js'

/** Number of histogram bins used by {@link otsuThreshold}. */
const OTSU_BINS = 256
/** Grey level → bin: slightly under the bin count, so that 1 falls in the last bin without a branch. */
const BIN_SCALE = OTSU_BINS - 1e-3

/**
 * Otsu's global threshold: the grey level that maximises the between-class variance of the
 * histogram (as scikit-image's `filters.threshold_otsu`, on 256 bins over [0, 1]).
 *
 * @param image grey image with values in [0, 1] (negative values are not expected)
 * @returns a threshold in [0, 1]; pixels darker than it are the darker class
 */
export function otsuThreshold(image: GrayImage): number {
  const histogram = histogramOf(image.data)
  const total = image.data.length
  let sumAll = 0
  for (let b = 0; b < OTSU_BINS; b++) sumAll += b * histogram[b]
  let weightBelow = 0,
    sumBelow = 0,
    bestVariance = -1,
    bestBin = 0
  for (let b = 0; b < OTSU_BINS; b++) {
    weightBelow += histogram[b]
    if (weightBelow === 0) continue
    const weightAbove = total - weightBelow
    if (weightAbove === 0) break
    sumBelow += b * histogram[b]
    const meanBelow = sumBelow / weightBelow
    const meanAbove = (sumAll - sumBelow) / weightAbove
    const variance = weightBelow * weightAbove * (meanBelow - meanAbove) ** 2
    if (variance > bestVariance) {
      bestVariance = variance
      bestBin = b
    }
  }
  // The threshold sits at the upper edge of the last bin of the darker class: v < it ⇔ bin(v) ≤ bestBin.
  return (bestBin + 1) / BIN_SCALE
}

/**
 * The {@link OTSU_BINS}-bin histogram of grey levels in [0, 1]. Counted into four histograms in
 * turn, then added: a flattened page is mostly paper in one bin, and each count into one histogram
 * would wait on the one before.
 */
function histogramOf(data: Float32Array): Uint32Array {
  const counts = new Uint32Array(4 * OTSU_BINS)
  let i = 0
  for (; i + 3 < data.length; i += 4) {
    counts[(data[i] * BIN_SCALE) | 0]++
    counts[OTSU_BINS + ((data[i + 1] * BIN_SCALE) | 0)]++
    counts[2 * OTSU_BINS + ((data[i + 2] * BIN_SCALE) | 0)]++
    counts[3 * OTSU_BINS + ((data[i + 3] * BIN_SCALE) | 0)]++
  }
  for (; i < data.length; i++) counts[(data[i] * BIN_SCALE) | 0]++
  const histogram = new Uint32Array(OTSU_BINS)
  for (let b = 0; b < OTSU_BINS; b++)
    histogram[b] = counts[b] + counts[OTSU_BINS + b] + counts[2 * OTSU_BINS + b] + counts[3 * OTSU_BINS + b]
  return histogram
}

/**
 * Marks as ink every pixel darker than `threshold`.
 *
 * @param image grey image, 0 = black
 * @param threshold grey level in [0, 1]
 * @returns binary image, 1 = ink (value < threshold)
 */
export function binarize(image: GrayImage, threshold: number): BinaryImage {
  const out = new Uint8Array(image.data.length)
  const { data } = image
  for (let i = 0; i < data.length; i++) out[i] = data[i] < threshold ? 1 : 0
  return { width: image.width, height: image.height, data: out }
}
