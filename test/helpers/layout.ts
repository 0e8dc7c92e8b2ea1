import type { Box } from '../../src/pipeline/image.js'
import type { OcrResult } from '../../src/reading/result.js'

/**
 * The shape of a reading: per line, its words as strings of '#' (letter) and '.' (period). The
 * segmentation is decided by the reading (the search over each line's lattice), so layouts are
 * judged on what the reader returns.
 */
export function layoutShape(result: OcrResult): string[] {
  return result.lines.map((line) => line.words.map((w) => w.chars.map((c) => (c.text === '.' ? '.' : '#')).join('')).join(' '))
}

/** Every character box of a reading, in reading order. */
export const charBoxes = (result: OcrResult): Box[] => result.lines.flatMap((l) => l.words.flatMap((w) => w.chars.map((c) => c.box)))

/** The same shape for a line of text: letters and digits become '#', periods stay. */
export function textShape(line: string): string {
  return line.replace(/[A-Z0-9]/g, '#')
}

/** Letters per line, periods excluded. */
export const lettersPerLine = (shape: readonly string[]): number[] => shape.map((l) => l.replace(/[^#]/g, '').length)
/** Words per line. */
export const wordsPerLine = (shape: readonly string[]): number[] => shape.map((l) => (l.trim() === '' ? 0 : l.trim().split(/\s+/).length))

/** Intersection over union of two boxes. */
export function iou(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  if (w <= 0 || h <= 0) return 0
  const inter = w * h
  return inter / (a.width * a.height + b.width * b.height - inter)
}
