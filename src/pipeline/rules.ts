import { forEachRun, type BinaryImage } from './image.js'

/** Options of {@link removeRules}. */
export interface RuleOptions {
  /** Rules are at most this thick, as a fraction of the page's size (√(width·height)): printed hairlines. */
  readonly ruleWidthFraction: number
  /** A horizontal rule's pieces add up to at least this fraction of the image's width along one band... */
  readonly minLengthFraction: number
  /** ...each piece that counts at least this fraction long (longer than any letter's bar)... */
  readonly minPieceFraction: number
  /** ...the longest at least this fraction (bars of neighbouring letters never are)... */
  readonly minLongestFraction: number
  /** Gaps along a piece up to this many rule widths are bridged (a faint line binarises as dashes). */
  readonly bridgeWidths: number
  /** A vertical rule is at least this fraction of the image's height long (letters' stems can be long). */
  readonly minVerticalLengthFraction: number
  /** Vertical rules are looked for only when at least this many horizontal ones were found (ruled or grid paper). */
  readonly minRulesForVertical: number
  /** Rules are looked for at slopes up to this many degrees either side of the text's (perspective fans them out). */
  readonly maxTiltDegrees: number
}

/** What {@link removeRules} did. */
export interface RuleRemoval {
  /** The ink without the rules, letters that crossed them kept whole. */
  readonly ink: BinaryImage
  /** How many rules ran along the rows (and along the columns). */
  readonly horizontal: number
  readonly vertical: number
  /** Ink pixels removed. */
  readonly removedPixels: number
}

/**
 * Removes ruled and grid lines: long thin lines of ink along the text lines (and, on ruled paper,
 * across them), keeping the letters that cross or touch them whole.
 *
 * Lines are found with line-shaped morphology: along lines of several slopes around the text's,
 * each line of pixels, with those just above and below OR-ed in (so that a one-pixel line stays one
 * run) and gaps of a few rule widths bridged, keeps its runs of at least a few rule widths. Every
 * thin cross-section of a long piece of that mask votes for the lines through its centre, at every
 * slope within `maxTiltDegrees` of the text's (perspective fans a sheet's rules out); a line whose
 * pieces add up to a good part of the page's width, one of them longer than any letter's bar, is a
 * rule. Along a rule, every column's run of ink no thicker than the rules is removed, even a dotted
 * stretch of a faint one; a letter's stroke crossing the rule or lying on it makes a longer run, and
 * one touching it continues diagonally beyond the run's ends: those stay, so a letter keeps its ink
 * where it meets the line and no longer joins its neighbours through it; where rules cross, what one
 * kept beside the other is no stroke, and goes. Specks left of the rules go too.
 *
 * @param ink binary image, 1 = ink
 * @param slope the text lines' slope (tan of their angle, positive when they descend to the right):
 *   rules run with the text, within `maxTiltDegrees`
 * @returns the cleaned ink (`ink` itself when nothing is removed)
 */
export function removeRules(ink: BinaryImage, options: RuleOptions, slope = 0): RuleRemoval {
  const rows = removeAlongRows(ink, options.minLengthFraction, options, slope)
  if (rows.zone === undefined) return { ink, horizontal: 0, vertical: 0, removedPixels: 0 }
  let result = rows.ink,
    vertical = 0,
    removed = rows.removed,
    columnZone: BinaryImage | undefined,
    ruleRun = rows.ruleRun ?? 1
  if (options.minRulesForVertical > 0 && rows.rules >= options.minRulesForVertical) {
    // Transposed, the columns' lines run down to the right where the rows' run up.
    const columns = removeAlongRows(transpose(result), options.minVerticalLengthFraction, options, -slope, transpose(rows.zone))
    if (columns.zone !== undefined) {
      result = transpose(columns.ink)
      columnZone = transpose(columns.zone)
      vertical = columns.rules
      ruleRun = Math.max(ruleRun, columns.ruleRun ?? 1)
      removed += columns.removed
    }
  }
  const specks = removeRuleSpecks(result, 2 * ruleRun, rows.zone, columnZone)
  return { ink: specks.ink, horizontal: rows.rules, vertical, removedPixels: removed + specks.removed }
}

/**
 * Drops the specks left of the rules: components of `ink` of at most `maxSpeck` pixels lying wholly
 * on them (in `rowZone` or `columnZone`). Where a tilted rule steps a row, the pixels either side of
 * the step look like a stroke leaving it and stay; so do the stubs that two crossing rules keep of
 * one another. A letter reaches off the rule, and a pen's period is bigger than two columns of rule.
 *
 * Each component is followed from its ink on the rules, through that ink only (8-connected), and no
 * further than a speck: work in proportion to the ink on the rules, not to the page.
 */
export function removeRuleSpecks(
  ink: BinaryImage,
  maxSpeck: number,
  rowZone: BinaryImage,
  columnZone?: BinaryImage,
): { ink: BinaryImage; removed: number } {
  const { width, height, data } = ink
  const inZone = (i: number): boolean => rowZone.data[i] !== 0 || (columnZone !== undefined && columnZone.data[i] !== 0)
  // 0: not reached; KEPT: part of something that is no speck on the rules; QUEUED: being followed.
  const KEPT = 1,
    QUEUED = 2
  const state = new Uint8Array(width * height)
  const queue = new Int32Array(maxSpeck + 9)
  let out: Uint8Array | undefined
  let removed = 0
  for (let y = 0; y < height; y++) {
    forEachRun(data, y * width, width, (start, end) => {
      for (let x = start; x < end; x++) {
        const seed = y * width + x
        if (state[seed] !== 0 || !inZone(seed)) continue
        let length = 0,
          speck = true
        queue[length++] = seed
        state[seed] = QUEUED
        for (let q = 0; q < length && speck; q++) {
          const i = queue[q],
            px = i % width,
            py = (i - px) / width
          for (let dy = -1; dy <= 1 && speck; dy++) {
            const ny = py + dy
            if (ny < 0 || ny >= height) continue
            for (let dx = -1; dx <= 1; dx++) {
              const nx = px + dx
              if (nx < 0 || nx >= width) continue
              const j = ny * width + nx
              if (data[j] === 0 || state[j] === QUEUED) continue
              if (state[j] === KEPT || !inZone(j) || length >= maxSpeck) {
                speck = false
                break
              }
              state[j] = QUEUED
              queue[length++] = j
            }
          }
        }
        if (speck) {
          out ??= Uint8Array.from(data)
          removed += length
        }
        for (let q = 0; q < length; q++) {
          state[queue[q]] = KEPT
          if (speck && out !== undefined) out[queue[q]] = 0
        }
      }
    })
  }
  return out === undefined ? { ink, removed: 0 } : { ink: { width, height, data: out }, removed }
}

/**
 * Removes the horizontal rules (see {@link removeRules}).
 *
 * Rules are not quite parallel to the text nor to one another: perspective fans them out and a
 * page's deskew is off by a little. So long pieces are looked for along a few slopes around the
 * text's, each piece's thin cross-sections vote for the lines through them at every slope within
 * `maxTiltDegrees` of the text's (a Hough transform over near-horizontal lines), and the rules are
 * taken greedily, the best supported line first, each claiming the cross-sections along it so that
 * the same rule is not found again at a neighbouring slope. A rule's zone is its line fitted to the
 * cross-sections it claimed, and those cross-sections themselves (a page that curves a little).
 *
 * @param lengthFraction a rule's pieces add up to at least this fraction of the width
 * @param slope the text's slope (tan of its angle, positive descending to the right)
 * @param crossing the zone of the rules found across these (a grid's): what is left of them beside
 *   these is no stroke leaving these
 * @returns the ink without them, how many rules there were, how many ink pixels went, the rules'
 *   zone (the pixels on a rule, ink or not; undefined when there are none) and the longest run of
 *   ink across a rule that was taken for rule
 */
export function removeAlongRows(
  ink: BinaryImage,
  lengthFraction: number,
  options: RuleOptions,
  slope = 0,
  crossing?: BinaryImage,
): { ink: BinaryImage; rules: number; removed: number; zone?: BinaryImage; ruleRun?: number } {
  const { width, height, data } = ink
  const none = { ink, rules: 0, removed: 0 }
  // Measured against the page, not the pen: a thick pen's measure would bridge and join the bars of
  // neighbouring letters, and on ruled paper the pen's measure is the rules' own.
  const ruleWidth = Math.max(1, options.ruleWidthFraction * Math.sqrt(width * height))
  const bridge = Math.max(1, Math.round(options.bridgeWidths * ruleWidth))
  const longPiece = Math.max(2, Math.round(options.minPieceFraction * width))
  const minLongest = options.minLongestFraction * width
  const minLength = lengthFraction * width
  const maxTilt = Math.tan((options.maxTiltDegrees * Math.PI) / 180)
  // Along the text first: a page without a long piece along it (no rule within a degree of the
  // text's slope) has no rules, and is spared the other slopes.
  const along = longRuns(ink, longPiece, bridge, [slope])
  if (along.longest < minLongest) return none
  // A line tilted by Δ against a shear stays within its three rows OR-ed together for 2 / Δ pixels:
  // shears 4 / longPiece apart find a piece of every rule tilted up to `maxTilt`.
  const shearStep = 4 / longPiece
  const tilted: number[] = []
  for (let k = 1; (k - 0.5) * shearStep < maxTilt; k++) tilted.push(slope + k * shearStep, slope - k * shearStep)
  const pieces = longRuns(ink, longPiece, bridge, tilted, along).mask.data
  // A rule's cross-section, with the two rows OR-ed in; thicker pieces are blobs (a desk, a filled shape).
  const maxThickness = Math.ceil(ruleWidth) + 2

  // The thin cross-sections of the long pieces (a column's run of the pieces' mask): their centres.
  let sectionX = new Float64Array(4 * width),
    sectionY = new Float64Array(4 * width),
    sections = 0
  // The section (its index + 1) whose centre lies in each pixel, 0 for none.
  const sectionAt = new Int32Array(width * height)
  const thicknesses = new Float64Array(maxThickness + 1)
  const runStart = new Int32Array(width)
  for (let y = 0; y < height; y++) {
    const row = y * width
    forEachRun(pieces, row, width, (start, end) => {
      for (let x = start; x < end; x++) {
        if (y === 0 || pieces[row - width + x] === 0) runStart[x] = y
        if (y + 1 < height && pieces[row + width + x] !== 0) continue
        const thickness = y - runStart[x] + 1
        if (thickness > maxThickness) continue
        const centre = (runStart[x] + y + 1) / 2
        if (sections === sectionX.length) {
          sectionX = grown(sectionX)
          sectionY = grown(sectionY)
        }
        sectionX[sections] = x + 0.5
        sectionY[sections++] = centre
        sectionAt[Math.floor(centre) * width + x] = sections
        thicknesses[thickness]++
      }
    })
  }
  if (sections < minLength) return none

  // Lines y = c + (x − mid)·s through the page's middle column, voted for at slopes `2·near / width`
  // apart (a straight rule parts from the nearest by at most near / 2 at the page's sides): a cross-section votes for the band of each
  // slope that passes through its centre; a line's support is what the bands within `near` of it
  // hold, so that a line tilted across two neighbouring rules gathers little of either. Lines that
  // are the best of their neighbours (slopes either side, bands within `near`) and hold enough are
  // candidates.
  const halfLine = Math.max(1, Math.ceil(maxThickness / 2))
  const near = halfLine
  const mid = width / 2
  const slopeStep = (2 * near) / width
  const tiltSteps = Math.ceil(maxTilt / slopeStep)
  const offset = Math.ceil((Math.abs(slope) + maxTilt) * mid) + near + 2
  const bands = height + 2 * offset
  const support: Int32Array[] = []
  const votes = new Int32Array(bands)
  for (let k = -tiltSteps; k <= tiltSteps; k++) {
    const s = slope + k * slopeStep
    votes.fill(0)
    for (let i = 0; i < sections; i++) votes[Math.round(sectionY[i] - (sectionX[i] - mid) * s) + offset]++
    const sums = new Int32Array(bands)
    let run = 0
    for (let b = 0; b < Math.min(bands, near); b++) run += votes[b]
    for (let b = 0; b < bands; b++) {
      if (b + near < bands) run += votes[b + near]
      if (b - near - 1 >= 0) run -= votes[b - near - 1]
      sums[b] = run
    }
    support.push(sums)
  }
  const candidates: Array<{ k: number; band: number; along: number }> = []
  for (let k = 0; k < support.length; k++) {
    for (let b = 0; b < bands; b++) {
      const along = support[k][b]
      if (along < minLength) continue
      let best = true
      for (let kk = Math.max(0, k - 1); kk <= Math.min(support.length - 1, k + 1) && best; kk++) {
        for (let bb = Math.max(0, b - near); bb <= Math.min(bands - 1, b + near); bb++) {
          const other = support[kk][bb]
          // Ties go to the first in (slope, band) order, so that a plateau gives one candidate.
          if (other > along || (other === along && (kk < k || (kk === k && bb < b)))) {
            best = false
            break
          }
        }
      }
      if (best) candidates.push({ k, band: b, along })
    }
  }
  candidates.sort((a, b) => b.along - a.along || Math.abs(a.k - tiltSteps) - Math.abs(b.k - tiltSteps) || a.band - b.band)

  // Greedily, the best supported line first: a rule when the cross-sections it has not yielded to
  // an earlier rule still hold enough, and the long pieces along it hold one unbroken stretch
  // (gaps bridged) longer than any letter's bar; it claims its cross-sections.
  const claimed = new Uint8Array(sections)
  const zone = new Uint8Array(width * height)
  let rules = 0
  // How many unclaimed cross-sections lie within `near` of (x, centre).
  const unclaimedNear = (x: number, centre: number): number => {
    let count = 0
    const from = Math.max(0, Math.floor(centre - near - 0.5)),
      to = Math.min(height - 1, Math.floor(centre + near + 0.5))
    for (let y = from; y <= to; y++) {
      const i = sectionAt[y * width + x] - 1
      if (i >= 0 && claimed[i] === 0 && Math.abs(sectionY[i] - centre) <= near + 0.5) count++
    }
    return count
  }
  const mark = (x: number, yCentre: number): void => {
    const from = Math.max(0, Math.round(yCentre - 0.5) - halfLine),
      to = Math.min(height - 1, Math.round(yCentre - 0.5) + halfLine)
    for (let y = from; y <= to; y++) zone[y * width + x] = 1
  }
  for (const { k, band } of candidates) {
    const s = slope + (k - tiltSteps) * slopeStep
    const c = band - offset
    // A line lying on an earlier rule at the page's middle and both sides is that rule again.
    const onRule = (x: number): boolean => {
      const y = Math.floor(c + (x + 0.5 - mid) * s)
      return y >= 0 && y < height && zone[y * width + x] !== 0
    }
    if (onRule(0) && onRule(Math.floor(mid)) && onRule(width - 1)) continue
    // Every SAMPLE-th column first: a line whose sample holds less than half its share of what a
    // rule needs has yielded its cross-sections to earlier rules (it crossed them at a slant).
    let sampled = 0
    for (let x = 0; x < width; x += SAMPLE) sampled += unclaimedNear(x, c + (x + 0.5 - mid) * s)
    if (sampled * SAMPLE < minLength / 2) continue
    const members: number[] = []
    let longest = 0,
      stretchStart = -1,
      lastOnPiece = -Infinity
    for (let x = 0; x < width; x++) {
      const centre = c + (x + 0.5 - mid) * s
      const from = Math.max(0, Math.floor(centre - near - 0.5)),
        to = Math.min(height - 1, Math.floor(centre + near + 0.5))
      let onPiece = false
      for (let y = from; y <= to; y++) {
        if (pieces[y * width + x] !== 0) onPiece = true
        const i = sectionAt[y * width + x] - 1
        if (i < 0 || claimed[i] !== 0 || Math.abs(sectionY[i] - centre) > near + 0.5) continue
        members.push(i)
      }
      if (onPiece) {
        if (x - lastOnPiece > bridge + 1) stretchStart = x
        lastOnPiece = x
        longest = Math.max(longest, x - stretchStart + 1)
      }
      // Not enough left along the rest of the width: not a rule.
      if (members.length + (width - 1 - x) < minLength) break
    }
    if (members.length < minLength || longest < minLongest) continue
    rules++
    for (const i of members) claimed[i] = 1
    const fit = fitLine(
      members.map((i) => sectionX[i] - mid),
      members.map((i) => sectionY[i]),
    )
    for (let x = 0; x < width; x++) mark(x, fit.intercept + (x + 0.5 - mid) * fit.slope)
    for (const i of members) mark(sectionX[i] - 0.5, sectionY[i])
  }
  if (rules === 0) return none

  // On a rule, every column's run of ink no thicker than the rules (the pieces' typical
  // cross-section, less the two rows OR-ed in, plus a pixel) is rule, even a dotted stretch of a faint
  // one. A letter's stroke crossing the rule or lying on it makes a longer run, and one touching it
  // continues diagonally beyond the run's ends: those stay, so a letter keeps its ink where it meets
  // the line and stays whole.
  const out = data.slice()
  const maxRun = medianIndex(thicknesses) - 2 + 1
  let removed = 0
  for (let y = 0; y < height; y++) {
    forEachRun(data, y * width, width, (start, end) => {
      for (let x = start; x < end; x++) {
        if (out[y * width + x] === 0 || zone[y * width + x] === 0) continue
        let top = y,
          bottom = y
        while (top > 0 && data[(top - 1) * width + x] !== 0 && y - top < maxRun) top--
        while (bottom < height - 1 && data[(bottom + 1) * width + x] !== 0 && bottom - top < maxRun) bottom++
        if (bottom - top + 1 > maxRun) continue
        if (inkAcross(data, width, height, x, top - 1, crossing) || inkAcross(data, width, height, x, bottom + 1, crossing)) continue
        for (let k = top; k <= bottom; k++) {
          if (out[k * width + x] !== 0) {
            out[k * width + x] = 0
            removed++
          }
        }
      }
    })
  }
  return { ink: { width, height, data: out }, rules, removed, zone: { width, height, data: zone }, ruleRun: maxRun }
}

/** The least-squares line y = intercept + slope·x through points (at least one). */
export function fitLine(xs: readonly number[], ys: readonly number[]): { intercept: number; slope: number } {
  const n = xs.length
  let mx = 0,
    my = 0
  for (let i = 0; i < n; i++) {
    mx += xs[i] / n
    my += ys[i] / n
  }
  let sxx = 0,
    sxy = 0
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2
    sxy += (xs[i] - mx) * (ys[i] - my)
  }
  const slope = sxx > 0 ? sxy / sxx : 0
  return { intercept: my - slope * mx, slope }
}

/**
 * The mask of long runs along each of `shears` (slopes, tan of the angle, positive descending to the
 * right): along a shear's lines, each line's pixels OR-ed with those just above and below, gaps of
 * at most `bridge` pixels filled, and runs shorter than `minLength` dropped; and the longest run's
 * length. `into`, a result of before, is added to.
 *
 * Ink is sparse: the rows OR-ed with their neighbours are taken once as lists of runs
 * ({@link neighbourRowRuns}), and each line is put together from the runs of the rows its steps
 * cross, so that the work goes with the ink, not with the pixels of every line of every shear.
 */
export function longRuns(
  ink: BinaryImage,
  minLength: number,
  bridge: number,
  shears: readonly number[] = [0],
  into?: { mask: BinaryImage; longest: number },
): { mask: BinaryImage; longest: number } {
  const { width, height } = ink
  const out = into?.mask.data ?? new Uint8Array(width * height)
  let longest = into?.longest ?? 0
  // No shear to look along (a tilt too small to need another): nothing to find, nor to take runs for.
  if (shears.length === 0) return { mask: { width, height, data: out }, longest }
  const rows = neighbourRowRuns(ink)
  const shift = new Int32Array(width)
  // Where each step of constant shift starts (and, last, `width`).
  const stepStart = new Int32Array(width + 1)
  // The line's runs, left to right (joined where two steps' runs meet).
  let lineStart = new Int32Array(64),
    lineEnd = new Int32Array(64)
  for (const shear of shears) {
    // The shear's line r holds the pixels (x, r + shift[x]); shift is 0 along the rows.
    let lowest = 0,
      highest = 0,
      steps = 0
    for (let x = 0; x < width; x++) {
      shift[x] = Math.round((x + 0.5) * shear)
      lowest = Math.min(lowest, shift[x])
      highest = Math.max(highest, shift[x])
      if (x === 0 || shift[x] !== shift[x - 1]) stepStart[steps++] = x
    }
    stepStart[steps] = width
    for (let r = -highest - 1; r <= height - lowest; r++) {
      let count = 0
      for (let s = 0; s < steps; s++) {
        const from = stepStart[s],
          to = stepStart[s + 1]
        const y = r + shift[from]
        if (y < -1 || y > height) continue
        // The row's runs that reach into the step, clipped to it.
        const last = rows.first[y + 2]
        for (let i = firstRunEndingAfter(rows, y + 1, from); i < last && rows.start[i] < to; i++) {
          const a = Math.max(rows.start[i], from),
            b = Math.min(rows.end[i], to)
          if (count > 0 && lineEnd[count - 1] === a) lineEnd[count - 1] = b
          else {
            if (count === lineStart.length) {
              lineStart = grownInts(lineStart)
              lineEnd = grownInts(lineEnd)
            }
            lineStart[count] = a
            lineEnd[count++] = b
          }
        }
      }
      for (let i = 0; i < count;) {
        // A run, continued across gaps of at most `bridge` pixels.
        const start = lineStart[i]
        let end = lineEnd[i++]
        while (i < count && lineStart[i] - end <= bridge) end = lineEnd[i++]
        if (end - start >= minLength) {
          for (let k = start; k < end; k++) {
            const y = r + shift[k]
            if (y >= 0 && y < height) out[y * width + k] = 1
          }
        }
        longest = Math.max(longest, end - start)
      }
    }
  }
  return { mask: { width, height, data: out }, longest }
}

/**
 * The runs of ink of each row OR-ed with the rows just above and below it (outside the image is no
 * ink), for rows −1 to `height`: row y's runs are `first[y + 1]` to `first[y + 2]` (exclusive), each
 * from `start` to `end` (exclusive), left to right.
 */
interface RowRuns {
  readonly first: Int32Array
  readonly start: Int32Array
  readonly end: Int32Array
}

/**
 * The {@link RowRuns} of an image. The rows are OR-ed four pixels at a time, in rows padded to a
 * whole number of words with at least one empty pixel (so that no run crosses into the next row),
 * and empty words are skipped: the cost goes with the ink more than with the pixels.
 */
function neighbourRowRuns(ink: BinaryImage): RowRuns {
  const { width, height, data } = ink
  const stride = (Math.floor(width / 4) + 1) * 4
  const words = stride / 4
  // The image with two empty rows above and below, in padded rows.
  const padded = new Uint8Array((height + 4) * stride)
  for (let y = 0; y < height; y++) padded.set(data.subarray(y * width, (y + 1) * width), (y + 2) * stride)
  const paddedWords = new Uint32Array(padded.buffer)
  // Row y (−1 to height) OR-ed with its neighbours, at (y + 1) · stride.
  const near = new Uint8Array((height + 2) * stride)
  const nearWords = new Uint32Array(near.buffer)
  for (let w = 0; w < nearWords.length; w++) nearWords[w] = paddedWords[w] | paddedWords[w + words] | paddedWords[w + 2 * words]
  const first = new Int32Array(height + 3)
  let start = new Int32Array(1024),
    end = new Int32Array(1024),
    count = 0
  for (let row = 0; row < height + 2; row++) {
    first[row] = count
    const base = row * stride
    let x = 0
    while (x < width) {
      if (nearWords[(base + x) >> 2] === 0) {
        x = (x & ~3) + 4
        continue
      }
      if (near[base + x] === 0) {
        x++
        continue
      }
      let e = x + 1
      while (near[base + e] !== 0) e++
      if (count === start.length) {
        start = grownInts(start)
        end = grownInts(end)
      }
      start[count] = x
      end[count++] = e
      x = e
    }
  }
  first[height + 2] = count
  return { first, start, end }
}

/** The index of row `row`'s first run (of {@link RowRuns}) that ends after `x`; the row's end when none does. */
function firstRunEndingAfter(runs: RowRuns, row: number, x: number): number {
  let low = runs.first[row],
    high = runs.first[row + 1]
  while (low < high) {
    const mid = (low + high) >> 1
    if (runs.end[mid] <= x) low = mid + 1
    else high = mid
  }
  return low
}

/** A copy of `values` with twice the room. */
function grownInts(values: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const out = new Int32Array(2 * values.length)
  out.set(values)
  return out
}

/** A copy of `values` with twice the room. */
function grown(values: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const out = new Float64Array(2 * values.length)
  out.set(values)
  return out
}

/** Candidate rules are first judged on every this many columns (see {@link removeAlongRows}). */
const SAMPLE = 8

/** Whether row `y` has ink in column `x` or either column beside it, not counting ink in `ignore`. */
function inkAcross(data: Uint8Array, width: number, height: number, x: number, y: number, ignore?: BinaryImage): boolean {
  if (y < 0 || y >= height) return false
  const row = y * width
  for (let k = Math.max(0, x - 1); k <= Math.min(width - 1, x + 1); k++) {
    if (data[row + k] !== 0 && (ignore === undefined || ignore.data[row + k] === 0)) return true
  }
  return false
}

/** The index at which a histogram's running total passes half its total. */
function medianIndex(histogram: Float64Array): number {
  let total = 0
  for (const v of histogram) total += v
  let seen = 0
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i]
    if (seen >= total / 2) return i
  }
  return histogram.length - 1
}

/** The image mirrored about its diagonal (rows become columns). */
export function transpose(image: BinaryImage): BinaryImage {
  const { width, height, data } = image
  const out = new Uint8Array(width * height)
  for (let y = 0; y < height; y++) {
    const row = y * width
    for (let x = 0; x < width; x++) out[x * height + y] = data[row + x]
  }
  return { width: height, height: width, data: out }
}
