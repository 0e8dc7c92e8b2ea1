import type { BinaryImage, Box, GrayImage } from './image.js'
import { insideHalfPlanes, type Point } from './page.js'
import { otsuThreshold } from './threshold.js'

/**
 * The image the letters are found in: the working image turned so that text lines run
 * horizontally and cut to the sheet. A reading-frame point (u, v) is the working-image point
 * `origin + u·(cos a, sin a) + v·(−sin a, cos a)`, with `a` the text's angle.
 */
export interface ReadingFrame {
  readonly width: number
  readonly height: number
  /** Working-image position of the frame's top-left corner, in pixels. */
  readonly originX: number
  readonly originY: number
  /** Angle of the text lines in the working image, radians; positive when they descend to the right (y down). */
  readonly angle: number
}

/** The frame that is the working image itself. */
export function identityFrame(width: number, height: number): ReadingFrame {
  return { width, height, originX: 0, originY: 0, angle: 0 }
}

/** Whether a frame is the working image itself (nothing to resample or map back). */
export function isIdentityFrame(frame: ReadingFrame, width: number, height: number): boolean {
  return frame.angle === 0 && frame.originX === 0 && frame.originY === 0 && frame.width === width && frame.height === height
}

/** Maps a reading-frame point to the working image. */
export function toWorking(frame: ReadingFrame, u: number, v: number): Point {
  const cos = Math.cos(frame.angle),
    sin = Math.sin(frame.angle)
  return { x: frame.originX + u * cos - v * sin, y: frame.originY + u * sin + v * cos }
}

/** Maps a working-image point to the reading frame. */
export function toReading(frame: ReadingFrame, x: number, y: number): Point {
  const cos = Math.cos(frame.angle),
    sin = Math.sin(frame.angle)
  const dx = x - frame.originX,
    dy = y - frame.originY
  return { x: dx * cos + dy * sin, y: -dx * sin + dy * cos }
}

/**
 * How much ink each block of `block` × `block` pixels holds (the fraction of pixels darker than
 * `threshold`): a small picture of the page's ink on which its orientation is cheap to measure.
 *
 * @param flat flattened grey image; @param threshold ink is darker than this
 * @returns a ⌈width / block⌉ × ⌈height / block⌉ image of ink fractions in [0, 1]
 */
export function inkDensity(flat: GrayImage, threshold: number, block: number): GrayImage {
  const { width, height, data } = flat
  const gw = Math.ceil(width / block),
    gh = Math.ceil(height / block)
  const counts = new Float32Array(gw * gh)
  for (let y = 0; y < height; y++) {
    const row = y * width,
      gridRow = Math.floor(y / block) * gw
    for (let x = 0; x < width; x++) if (data[row + x] < threshold) counts[gridRow + Math.floor(x / block)]++
  }
  const perBlock = 1 / (block * block)
  for (let i = 0; i < counts.length; i++) counts[i] *= perBlock
  return { width: gw, height: gh, data: counts }
}

/** Options of {@link estimateTextAngle}. */
export interface AngleOptions {
  /** Largest angle tried either way, in degrees. */
  readonly maxDegrees: number
  /** Step of the first, coarse search, in degrees... */
  readonly coarseStepDegrees: number
  /** ...and of the refinement around its best angle. */
  readonly fineStepDegrees: number
  /** Bins (blocks) either side of each bin over which the projection's envelope is averaged out of the score. */
  readonly envelopeBlocks: number
}

/**
 * The orientation of the text lines (and ruled lines, which run with them): the angle at which
 * the ink's projection across the lines is sharpest. For each angle the ink is summed along lines
 * of that slope into bins one block wide; the score is the energy of the projection around its
 * running mean over ±`envelopeBlocks` bins, large when the projection alternates between full lines
 * and empty gaps, and (unlike the plain sum of squares, which grows as the projection shortens)
 * indifferent to the envelope: the shape of the inked region, a sheet's cut edges or the frame's,
 * which line up with the image axes whatever the text's angle. A coarse search over
 * ±`maxDegrees` is refined around its best angle; ties keep the smaller angle.
 *
 * @param density ink per block ({@link inkDensity})
 * @returns the angle in radians, positive when lines descend to the right (y down), 0 when there
 *   is no ink; and how many lines the projection at that angle shows (bands of bins holding at least
 *   a fifth of the fullest bin's ink), since one line alone (a word whose baseline drifts) says little
 *   about how the page is turned
 */
export function estimateTextAngle(density: GrayImage, options: AngleOptions): { radians: number; lines: number } {
  const { width, height, data } = density
  const xs: number[] = [],
    ys: number[] = [],
    ws: number[] = []
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const w = data[y * width + x]
      if (w > 0) {
        xs.push(x + 0.5)
        ys.push(y + 0.5)
        ws.push(w)
      }
    }
  }
  if (xs.length === 0) return { radians: 0, lines: 0 }
  const diagonal = Math.ceil(Math.hypot(width, height)) + 2
  const bins = new Float64Array(2 * diagonal + 2)
  const score = (degrees: number): number => {
    const angle = (degrees * Math.PI) / 180
    const cos = Math.cos(angle),
      sin = Math.sin(angle)
    bins.fill(0)
    for (let i = 0; i < xs.length; i++) {
      // Position across the lines, split linearly between two bins so that the score varies smoothly with the angle.
      const r = ys[i] * cos - xs[i] * sin + diagonal
      const low = Math.floor(r),
        f = r - low
      bins[low] += ws[i] * (1 - f)
      bins[low + 1] += ws[i] * f
    }
    // Energy of the projection around its running mean: lines and gaps alternate within the window,
    // where the projection's envelope (the shape of the inked region, the frame's edges) does not.
    const W = options.envelopeBlocks
    let sum = 0,
      run = 0
    for (let b = 0; b < Math.min(bins.length, W); b++) run += bins[b]
    for (let b = 0; b < bins.length; b++) {
      if (b + W < bins.length) run += bins[b + W]
      if (b - W - 1 >= 0) run -= bins[b - W - 1]
      const n = Math.min(bins.length - 1, b + W) - Math.max(0, b - W) + 1
      sum += (bins[b] - run / n) ** 2
    }
    return sum
  }
  const search = (centre: number, halfRange: number, step: number): number => {
    let best = centre,
      bestScore = -1
    const steps = Math.round(halfRange / step)
    for (let s = 0; s <= 2 * steps; s++) {
      // 0, +step, −step, +2·step, …: ties keep the angle nearest the centre.
      const k = s % 2 === 1 ? (s + 1) / 2 : -s / 2
      const degrees = centre + k * step
      if (Math.abs(degrees) > halfRange + Math.abs(centre)) continue
      const value = score(degrees)
      if (value > bestScore) {
        bestScore = value
        best = degrees
      }
    }
    return best
  }
  const coarse = search(0, options.maxDegrees, options.coarseStepDegrees)
  const fine = search(coarse, options.coarseStepDegrees, options.fineStepDegrees)
  score(fine)
  let fullest = 0
  for (const b of bins) fullest = Math.max(fullest, b)
  let lines = 0,
    inLine = false
  for (const b of bins) {
    const full = b >= LINE_BIN_FRACTION * fullest
    if (full && !inLine) lines++
    inLine = full
  }
  return { radians: (fine * Math.PI) / 180, lines }
}

/** A bin of the projection is part of a line when it holds at least this fraction of the fullest bin's ink. */
const LINE_BIN_FRACTION = 0.2

/**
 * The reading frame that holds `region` (the sheet's corners, or the whole working image) with
 * text lines turned horizontal: the region's bounding box in the turned coordinates.
 *
 * @param region corners of a convex polygon in working pixels
 * @param angle text angle in radians ({@link estimateTextAngle})
 */
export function frameAround(region: readonly Point[], angle: number): ReadingFrame {
  const cos = Math.cos(angle),
    sin = Math.sin(angle)
  let u0 = Infinity,
    v0 = Infinity,
    u1 = -Infinity,
    v1 = -Infinity
  for (const p of region) {
    const u = p.x * cos + p.y * sin,
      v = -p.x * sin + p.y * cos
    u0 = Math.min(u0, u)
    u1 = Math.max(u1, u)
    v0 = Math.min(v0, v)
    v1 = Math.max(v1, v)
  }
  u0 = Math.floor(u0)
  v0 = Math.floor(v0)
  return {
    width: Math.max(1, Math.ceil(u1) - u0),
    height: Math.max(1, Math.ceil(v1) - v0),
    originX: u0 * cos - v0 * sin,
    originY: u0 * sin + v0 * cos,
    angle,
  }
}

/**
 * Resamples the working image into the reading frame (bilinear), painting white paper (1) outside
 * the working image and outside the sheet shrunk by `margin` pixels, so that neither the desk nor
 * the shaded band along the sheet's edge can turn into ink.
 *
 * @param image flattened grey image at working resolution
 * @param frame the reading frame ({@link frameAround})
 * @param sheet the sheet's corners in working pixels, or undefined to keep everything in the frame
 * @param margin pixels cut off inside the sheet's edges
 */
export function resampleToFrame(image: GrayImage, frame: ReadingFrame, sheet: readonly Point[] | undefined, margin: number): GrayImage {
  const { width, height } = frame
  const out = new Float32Array(width * height).fill(1)
  const src = image.data,
    sw = image.width,
    sh = image.height
  const cos = Math.cos(frame.angle),
    sin = Math.sin(frame.angle)
  // An upright frame on whole pixels samples exactly at pixel centres: rows are copied.
  const copies = frame.angle === 0 && Number.isInteger(frame.originX) && Number.isInteger(frame.originY)
  // The sheet in reading coordinates, as half-planes: each row's inside is one interval.
  const planes = sheet === undefined ? [] : insideHalfPlanes(sheet.map((p) => toReading(frame, p.x, p.y)))
  for (let v = 0; v < height; v++) {
    const vc = v + 0.5
    let u0 = 0,
      u1 = width
    for (const h of planes) {
      // h.nx·u + h.ny·v ≥ offset + margin on the inside.
      const bound = h.offset + margin - h.ny * vc
      if (Math.abs(h.nx) < 1e-12) {
        if (bound > 0) {
          u0 = 1
          u1 = 0
        }
        continue
      }
      const u = bound / h.nx - 0.5
      if (h.nx > 0) u0 = Math.max(u0, Math.ceil(u))
      else u1 = Math.min(u1, Math.floor(u) + 1)
    }
    const row = v * width
    if (copies) {
      const sy = frame.originY + v,
        from = Math.max(u0, -frame.originX),
        to = Math.min(u1, sw - frame.originX)
      if (sy >= 0 && sy < sh && to > from) out.set(src.subarray(sy * sw + frame.originX + from, sy * sw + frame.originX + to), row + from)
      continue
    }
    // Source index coordinates of pixel u's centre: (x0 + u·cos, y0 + u·sin). Sampling needs 0 ≤ x < sw − 1
    // and 0 ≤ y < sh − 1; the half pixel along the border is left white.
    const x0 = frame.originX + 0.5 * cos - vc * sin - 0.5
    const y0 = frame.originY + 0.5 * sin + vc * cos - 0.5
    ;[u0, u1] = clipRange(u0, u1, x0, cos, sw - 1)
    ;[u0, u1] = clipRange(u0, u1, y0, sin, sh - 1)
    let x = x0 + u0 * cos,
      y = y0 + u0 * sin
    for (let u = u0; u < u1; u++, x += cos, y += sin) {
      const xi = x | 0,
        yi = y | 0
      const fx = x - xi,
        fy = y - yi
      const i = yi * sw + xi
      const top = src[i] + (src[i + 1] - src[i]) * fx
      const bottom = src[i + sw] + (src[i + sw + 1] - src[i + sw]) * fx
      out[row + u] = top + (bottom - top) * fy
    }
  }
  return { width, height, data: out }
}

/**
 * Narrows [u0, u1) to the integers u for which `start + u·step` lies in [0, limit) (with a small
 * safety margin, so that rounding never reads past the image).
 */
function clipRange(u0: number, u1: number, start: number, step: number, limit: number): [number, number] {
  const high = limit - 1e-6
  if (Math.abs(step) < 1e-12) return start >= 0 && start < high ? [u0, u1] : [u0, u0]
  let low = (0 - start) / step,
    top = (high - start) / step
  if (step < 0) [low, top] = [top, low]
  const from = Math.max(u0, Math.ceil(low + 1e-9)),
    to = Math.min(u1, Math.floor(top - 1e-9) + 1)
  return [from, Math.max(from, to)]
}

/**
 * Whether a box of the reading frame reaches the edge of the photo, which a turned frame holds
 * inside it as a slanted line: whether a corner of the box, pushed a pixel further out, maps outside
 * the working image. (For the frame that is the working image itself, no box does: its own edges
 * are the photo's.)
 */
export function touchesPhotoEdge(frame: ReadingFrame, box: Box, width: number, height: number): boolean {
  if (frame.angle === 0) return false
  const corners: Point[] = [
    { x: box.x - 1, y: box.y - 1 },
    { x: box.x + box.width + 1, y: box.y - 1 },
    { x: box.x - 1, y: box.y + box.height + 1 },
    { x: box.x + box.width + 1, y: box.y + box.height + 1 },
  ]
  return corners.some((c) => {
    const p = toWorking(frame, c.x, c.y)
    return p.x < 0 || p.y < 0 || p.x > width || p.y > height
  })
}

/**
 * The working-image box of a glyph found in the reading frame: the tight box of its ink pixels
 * once each is mapped back (for a turned frame this is far tighter than the box of the turned
 * box's corners).
 *
 * @param box the glyph's box in the reading frame
 * @param mask its ink, the size of `box`
 * @returns a box in working pixels (pixel `i` spans [i, i + 1))
 */
export function inkBoxInWorking(frame: ReadingFrame, box: Box, mask: BinaryImage): Box {
  const cos = Math.cos(frame.angle),
    sin = Math.sin(frame.angle)
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity
  for (let j = 0; j < mask.height; j++) {
    for (let i = 0; i < mask.width; i++) {
      if (mask.data[j * mask.width + i] === 0) continue
      const uc = box.x + i + 0.5,
        vc = box.y + j + 0.5
      const x = Math.floor(frame.originX + uc * cos - vc * sin)
      const y = Math.floor(frame.originY + uc * sin + vc * cos)
      if (x < x0) x0 = x
      if (x > x1) x1 = x
      if (y < y0) y0 = y
      if (y > y1) y1 = y
    }
  }
  if (x1 < x0) {
    // No ink: map the box's centre.
    const c = toWorking(frame, box.x + box.width / 2, box.y + box.height / 2)
    return { x: Math.floor(c.x), y: Math.floor(c.y), width: 1, height: 1 }
  }
  return { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 }
}

/** Options of {@link deskewPage}. */
export interface DeskewOptions extends AngleOptions {
  /** Text turned by less than this many degrees is left as it is (the line finder absorbs a small skew). */
  readonly minDegrees: number
  /** The page is turned only when its projection shows at least this many lines (text or ruled). */
  readonly minLines: number
  /** Ink-density blocks across a square page of the working size, for the angle search. */
  readonly blocksAcrossPage: number
}

/**
 * Builds the reading frame and the image the letters are found in: the flattened page cut to the
 * sheet (when one was found; its surround and the band along its edge painted white) and turned so
 * that text lines are horizontal (when they were turned by at least `minDegrees`). The text's angle
 * is measured on the ink of the sheet alone, thresholded as the letter finder will.
 *
 * @param flat flattened working image; @param sheet the sheet's corners in working pixels, if any
 * @param margin pixels cut off inside the sheet's edges
 * @returns the image to read, its frame (the working image itself, and `flat` itself returned, when
 *   there is neither a sheet nor a turn), the text's slope left in the image (radians, 0 once turned)
 *   and the ink threshold (Otsu's, on the sheet alone)
 */
export function deskewPage(
  flat: GrayImage,
  sheet: readonly Point[] | undefined,
  margin: number,
  options: DeskewOptions,
): { image: GrayImage; frame: ReadingFrame; skew: number; threshold: number } {
  const { width, height } = flat
  const whole: Point[] = [
    { x: 0, y: 0 },
    { x: width, y: 0 },
    { x: width, y: height },
    { x: 0, y: height },
  ]
  const upright = sheet === undefined ? identityFrame(width, height) : frameAround(sheet, 0)
  const cut = sheet === undefined ? flat : resampleToFrame(flat, upright, sheet, margin)
  const block = Math.max(1, Math.round(Math.sqrt(width * height) / options.blocksAcrossPage))
  const threshold = otsuThreshold(cut)
  const { radians: angle, lines } = estimateTextAngle(inkDensity(cut, threshold, block), options)
  if (lines < options.minLines) return { image: cut, frame: upright, skew: 0, threshold }
  if (Math.abs(angle) < (options.minDegrees * Math.PI) / 180) return { image: cut, frame: upright, skew: angle, threshold }
  const frame = frameAround(sheet ?? whole, angle)
  // Turning moves ink, not levels: the threshold of the cut page holds for the turned one.
  return { image: resampleToFrame(flat, frame, sheet, margin), frame, skew: 0, threshold }
}
