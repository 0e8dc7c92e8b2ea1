import type { GrayImage } from './image.js'
import { binaryRankFilter } from './morphology.js'

/** A point in pixels (continuous: pixel `i` spans [i, i + 1)). */
export interface Point {
  readonly x: number
  readonly y: number
}

/** Options of {@link findSheet}; fractions are of the whole frame unless said otherwise. */
export interface SheetOptions {
  /** Brightness thresholds tried, evenly spaced between the background's darkest and brightest levels. */
  readonly thresholdLevels: number
  /** A sheet covers at least this fraction of the frame. */
  readonly minAreaFraction: number
  /** The bright region fills at least this fraction of its convex hull (paper is convex; light and shadow are not). */
  readonly minSolidity: number
  /** Hull corners less than this many cells off the line through their neighbours are steps of the grid, not corners. */
  readonly cornerToleranceCells: number
  /** A quadrilateral clipped by the frame has at most 8 corners; a rounded blob of light has more. */
  readonly maxCorners: number
  /** Just outside a sheet with 3 or 4 edges in view, the surround is at most this bright relative to the paper just inside... */
  readonly maxSurroundContrast: number
  /** ...and around one with only 1 or 2 edges in view (which a straight shadow can mimic), at most this bright. */
  readonly maxSurroundContrastFewSides: number
  /** Less surround than this is nothing worth cutting away. */
  readonly minSurroundFraction: number
  /**
   * Sides in view that do not step down to a darker surround may make up at most this fraction of
   * the sides in view: clutter lying over the sheet's edge or corner (a sticky note, a mug) is no
   * step, a leak into a bright patch of desk runs along a whole side.
   */
  readonly maxUnsteppedFraction: number
  /**
   * A bright region less solid than `minSolidity` (a sheet's lit part, a cast shadow biting into it)
   * is the sheet only if its hull's sides step down piece by piece, in pieces this many cells long.
   */
  readonly shadedPieceCells: number
  /** Bright cells are opened by a square of this radius in cells, which cuts thin bright clutter (a pen, a mug's rim) off the sheet. */
  readonly openingCells: number
  /** A side whose surround is textured (wood grain: at least this fraction of its pixels ink-dark, `inkDensity` in `deskew.ts`)... */
  readonly minTexturedSurroundInk: number
  /** ...and this many times the paper's just inside needs only `maxSurroundContrast`, however few sides are in view. */
  readonly minSurroundInkRatio: number
  /** A pixel of the flattened image darker than this is ink-dark, for the coverage above (see `inkDensity` in `deskew.ts`). */
  readonly inkCoverageLevel: number
  /** A cell whose colour lies further than this from the page's white (`chromaGrid` in `chroma.ts`) is no paper, however bright. */
  readonly maxPaperChroma: number
}

/** A sheet of paper found in the frame. */
export interface Sheet {
  /** The visible part of the sheet: a convex polygon in working pixels, clockwise on screen (y down). */
  readonly corners: Point[]
  /** How many of the polygon's sides are edges of the sheet rather than of the frame (1–4 and more when clipped). */
  readonly sidesInView: number
  /** Median background brightness just inside the sheet's edges (the darkest side) and just outside (the brightest of those that step). */
  readonly paperLevel: number
  readonly surroundLevel: number
}

/**
 * Finds a sheet of paper photographed against a darker surround (a desk, a table): the largest
 * bright region of the background estimate that is convex, bounded by a few straight sides, each
 * of which is a sharp step down to a darker surround. Thresholds between the darkest and the
 * brightest background levels are tried in turn, so a sheet partly in shadow is still found whole
 * at a lower threshold, and a region that leaked into a bright patch of the desk (a side without a
 * step) gives way to a smaller one that did not. Where the shaded paper is no brighter than the lit
 * desk, no threshold has the whole sheet: its lit part, not convex (a cast shadow bit into it), is
 * then the sheet if its hull steps down to the surround piece by piece all along, the shaded stretches
 * measured against the desk in the same shadow (light and shadow alone make no such hull).
 * Light falling off towards the corners makes rounded regions (too many corners) whose edges hardly
 * step at all. Clutter on the desk is tolerated: thin bright things touching the sheet (a pen, a
 * mug's rim) are opened off the bright region, and a short stretch of the sheet's edge that does not
 * step (a sticky note over a corner) is allowed (`maxUnsteppedFraction` of the sides in view).
 *
 * Crops, drawings, whiteboards and pages that fill the frame have no such region and give
 * `undefined`: the whole image is read. A cast shadow with one straight edge can look like the
 * edge of a sheet that runs out of the frame, so a sheet with only one or two sides in view needs
 * a much darker surround, unless the surround is textured where the paper is not (`coverage`):
 * paper in shadow is as blank as paper in light, a light wooden desk is grain all over.
 *
 * Paper is near-neutral and a wooden desk is not: with the cells' colour (`chroma`), the bright region
 * is grown over paper-coloured cells only, so it cannot leak into a desk as bright as the paper's dim
 * part (no grey threshold tells them apart there), and a side whose surround is coloured where the
 * paper is not is an edge of the sheet whatever the levels either side.
 *
 * @param background paper brightness on a grid of cells (`estimateBackground`: ink already closed away)
 * @param cellSize side of one grid cell in working pixels
 * @param width working image width in pixels (the last grid column may be partial)
 * @param height working image height in pixels
 * @param coverage per cell, the fraction of its pixels that are ink-dark in the flattened image
 *   (`inkDensity` in `deskew.ts`, on the same grid); without it no surround counts as textured
 * @param chroma per cell, the distance of its colour from the page's white (`chromaGrid` in `chroma.ts`);
 *   without it (a grey upload) the sheet is found on brightness alone
 * @returns the sheet's visible polygon in working pixels, or undefined when there is no sheet to cut out
 */
export function findSheet(
  background: GrayImage,
  cellSize: number,
  width: number,
  height: number,
  options: SheetOptions,
  coverage?: GrayImage,
  chroma?: GrayImage,
): Sheet | undefined {
  const { width: gw, height: gh } = background
  const cells = gw * gh
  const spread = levelSpread(background)
  if (spread === undefined) return undefined
  const { dark, bright } = spread

  // Paper is near-neutral: a bright coloured cell (a wooden desk as bright as the paper, a sticky note) is no part of the sheet.
  let paper: Uint8Array | undefined
  if (chroma !== undefined) {
    paper = new Uint8Array(cells)
    for (let i = 0; i < cells; i++) paper[i] = chroma.data[i] <= options.maxPaperChroma ? 1 : 0
  }
  const candidates: Array<{ polygon: Point[]; area: number; sides: boolean[]; notched: boolean }> = []
  for (let level = 1; level <= options.thresholdLevels; level++) {
    const threshold = dark + ((bright - dark) * level) / (options.thresholdLevels + 1)
    const region = largestBrightRegion(background, threshold, options.openingCells, paper)
    if (region === undefined || region.area < options.minAreaFraction * cells) continue
    if (region.area > (1 - options.minSurroundFraction) * cells) continue
    const hull = convexHull(region.rowEnds)
    // A region short of convex is a sheet's lit part with a cast shadow biting into it, or no sheet:
    // its edges are then judged piece by piece (below), not side by side.
    const notched = region.area < options.minSolidity * polygonArea(hull)
    const polygon = simplifyConvex(hull, options.cornerToleranceCells)
    if (polygon.length > options.maxCorners) continue
    const sides = polygon.map((p, i) => !onFrame(p, polygon[(i + 1) % polygon.length], gw, gh))
    if (!sides.includes(true)) continue
    candidates.push({ polygon, area: polygonArea(polygon), sides, notched })
  }
  // The largest region each of whose free sides is a sharp step down to a darker surround is the sheet.
  candidates.sort((a, b) => b.area - a.area)
  for (const { polygon, sides, notched } of candidates) {
    // Corners rounded by the grid leave short sides: only sides long enough to measure count as edges in view.
    const inView = sides.filter((free, i) => free && sideLength(polygon, i) >= MIN_BAND_CELLS).length
    const fewSidesLimit = inView >= 3 ? options.maxSurroundContrast : options.maxSurroundContrastFewSides
    const stepsDown = (s: SideStep): boolean => {
      // A surround of another colour than the paper is the desk, however bright: the edge is where the colour changes.
      if (s.outsideChroma > options.maxPaperChroma && s.insideChroma <= options.maxPaperChroma) return true
      const textured = s.outsideInk >= options.minTexturedSurroundInk && s.outsideInk >= options.minSurroundInkRatio * s.insideInk
      return s.outside <= (textured ? options.maxSurroundContrast : fewSidesLimit) * s.inside
    }
    // A cast shadow darkens paper and desk alike, so a sheet's edge still steps down inside it, and
    // the hull of a sheet's lit part is the sheet when its sides step down all along, the shaded
    // stretches included; where the hull bridges a gap in the region over the desk (two things side
    // by side, clutter jutting out), the stretch of side across the gap has desk on both sides.
    const stretches = notched
      ? stepsAlongSides(background, polygon, sides, options.shadedPieceCells, coverage, chroma).flatMap((p) => p ?? [])
      : stepsAcrossSides(background, polygon, sides, coverage, chroma).flatMap((s, i) =>
          s === undefined ? [] : [{ ...s, length: sideLength(polygon, i) }],
        )
    const measured = stretches.filter(stepsDown)
    const stepped = measured.reduce((sum, s) => sum + s.length, 0)
    const unstepped = stretches.reduce((sum, s) => sum + s.length, 0) - stepped
    if (stepped === 0 || unstepped > options.maxUnsteppedFraction * (stepped + unstepped)) continue
    const toPixels = (p: Point): Point => ({ x: Math.min(p.x * cellSize, width), y: Math.min(p.y * cellSize, height) })
    return {
      corners: polygon.map(toPixels),
      sidesInView: inView,
      paperLevel: Math.min(...measured.map((s) => s.inside)),
      surroundLevel: Math.max(...measured.map((s) => s.outside)),
    }
  }
  return undefined
}

/** Length of the polygon's side from corner `i` to the next. */
function sideLength(polygon: readonly Point[], i: number): number {
  const a = polygon[i],
    b = polygon[(i + 1) % polygon.length]
  return Math.hypot(b.x - a.x, b.y - a.y)
}

/** Cells on either side of a sheet's edge, from one to this many cells off it, measure the step across it... */
const EDGE_BAND_CELLS = 3
/** ...on sides with at least this many cells in each band (shorter ones are corners cut off by the grid). */
const MIN_BAND_CELLS = 8

/**
 * The background levels just inside and just outside one side of a sheet, the share of ink-dark
 * pixels there, and the median colour distance from the page's white there (0 without colour).
 */
interface SideStep {
  readonly inside: number
  readonly outside: number
  readonly insideInk: number
  readonly outsideInk: number
  readonly insideChroma: number
  readonly outsideChroma: number
}

/**
 * For each free side of the polygon, the median background level just inside it and just outside
 * it (cells one to {@link EDGE_BAND_CELLS} cells off the side, each cell counted for its nearest
 * side), and the mean ink coverage of those cells (0 without `coverage`): a sheet's edge is a sharp
 * step down to the desk all along, while an edge of light (vignetting, a lamp's gradient) hardly
 * steps, and a region that leaked into a bright patch of the desk has a side that does not step.
 *
 * @param free for each side (from corner i to i + 1), whether it is an edge of the sheet rather than the frame
 * @returns per side, the levels, or undefined for frame sides and sides too short to measure
 */
function stepsAcrossSides(
  grid: GrayImage,
  polygon: readonly Point[],
  free: readonly boolean[],
  coverage?: GrayImage,
  chroma?: GrayImage,
): Array<SideStep | undefined> {
  const planes = insideHalfPlanes(polygon)
  const inside = planes.map(() => new Histogram()),
    outside = planes.map(() => new Histogram())
  const insideChroma = planes.map(() => new Histogram()),
    outsideChroma = planes.map(() => new Histogram())
  const insideInk = new Float64Array(planes.length),
    outsideInk = new Float64Array(planes.length)
  for (let y = 0; y < grid.height; y++) {
    for (let x = 0; x < grid.width; x++) {
      const px = x + 0.5,
        py = y + 0.5
      const { nearest, distance } = nearestSide(planes, px, py)
      if (!free[nearest] || Math.abs(distance) < 1 || Math.abs(distance) > EDGE_BAND_CELLS) continue
      const cell = y * grid.width + x
      ;(distance > 0 ? inside : outside)[nearest].add(grid.data[cell])
      ;(distance > 0 ? insideInk : outsideInk)[nearest] += coverage?.data[cell] ?? 0
      ;(distance > 0 ? insideChroma : outsideChroma)[nearest].add(chroma?.data[cell] ?? 0)
    }
  }
  return planes.map((_, i) =>
    free[i] && inside[i].count >= MIN_BAND_CELLS && outside[i].count >= MIN_BAND_CELLS
      ? {
          inside: inside[i].quantile(0.5),
          outside: outside[i].quantile(0.5),
          insideInk: insideInk[i] / inside[i].count,
          outsideInk: outsideInk[i] / outside[i].count,
          insideChroma: insideChroma[i].quantile(0.5),
          outsideChroma: outsideChroma[i].quantile(0.5),
        }
      : undefined,
  )
}

/** A stretch of a side with the levels and ink either side of it, as {@link SideStep}, and its length in cells. */
interface PieceStep extends SideStep {
  readonly length: number
}

/**
 * As {@link stepsAcrossSides}, but each free side cut into pieces `pieceCells` long (the last one
 * shorter), each measured on its own, and each cell just inside compared with its mirror image
 * across the side: a stretch of side where the step fails (a gap bridged over the desk) is not
 * outvoted by the rest of the side, and paper in a cast shadow is compared with the desk in the
 * same shadow, not with the desk in light, even where the shadow's edge crosses the side.
 *
 * @returns per side, its pieces with at least `pieceCells` cells inside (fewer: a corner), each
 *   with the median level inside and, outside, that times the median ratio of mirror to cell
 *   (a mirror beyond the frame sees no step: `Infinity`); undefined for frame sides
 */
export function stepsAlongSides(
  grid: GrayImage,
  polygon: readonly Point[],
  free: readonly boolean[],
  pieceCells: number,
  coverage?: GrayImage,
  chroma?: GrayImage,
): Array<PieceStep[] | undefined> {
  const planes = insideHalfPlanes(polygon)
  const bands = planes.map((_, i) => {
    const count = free[i] ? Math.max(1, Math.ceil(sideLength(polygon, i) / pieceCells)) : 0
    return Array.from({ length: count }, () => ({
      inside: new Histogram(),
      ratios: [] as number[],
      insideInk: 0,
      outsideInk: 0,
      insideChroma: new Histogram(),
      outsideChroma: new Histogram(),
    }))
  })
  for (let y = 0; y < grid.height; y++) {
    for (let x = 0; x < grid.width; x++) {
      const px = x + 0.5,
        py = y + 0.5
      const { nearest, distance } = nearestSide(planes, px, py)
      if (!free[nearest] || distance < 1 || distance > EDGE_BAND_CELLS) continue
      const a = polygon[nearest],
        b = polygon[(nearest + 1) % polygon.length]
      const length = sideLength(polygon, nearest) || 1
      const along = ((px - a.x) * (b.x - a.x) + (py - a.y) * (b.y - a.y)) / length
      const pieces = bands[nearest]
      const piece = pieces[Math.min(pieces.length - 1, Math.max(0, Math.floor(along / pieceCells)))]
      const cell = y * grid.width + x
      piece.inside.add(grid.data[cell])
      piece.insideInk += coverage?.data[cell] ?? 0
      piece.insideChroma.add(chroma?.data[cell] ?? 0)
      const mx = Math.floor(px - 2 * distance * planes[nearest].nx),
        my = Math.floor(py - 2 * distance * planes[nearest].ny)
      if (mx < 0 || my < 0 || mx >= grid.width || my >= grid.height) {
        piece.ratios.push(Infinity)
        continue
      }
      const mirror = my * grid.width + mx
      piece.ratios.push(grid.data[mirror] / Math.max(grid.data[cell], 1e-6))
      piece.outsideInk += coverage?.data[mirror] ?? 0
      piece.outsideChroma.add(chroma?.data[mirror] ?? 0)
    }
  }
  return bands.map((pieces, i) =>
    free[i]
      ? pieces.flatMap((p, k) => {
          if (p.inside.count < pieceCells) return []
          const ratios = p.ratios.sort((u, v) => u - v)
          const inside = p.inside.quantile(0.5)
          return [
            {
              inside,
              outside: inside * ratios[Math.floor((ratios.length - 1) / 2)],
              insideInk: p.insideInk / p.inside.count,
              outsideInk: p.outsideInk / p.inside.count,
              insideChroma: p.insideChroma.quantile(0.5),
              // A mirror beyond the frame has no colour: it counts as the paper's.
              outsideChroma: p.outsideChroma.count > 0 ? p.outsideChroma.quantile(0.5) : p.insideChroma.quantile(0.5),
              length: Math.min(pieceCells, sideLength(polygon, i) - k * pieceCells),
            },
          ]
        })
      : undefined,
  )
}

/** A histogram of levels in [0, 1] on 256 bins, for quantiles without sorting. */
class Histogram {
  readonly bins = new Uint32Array(256)
  count = 0

  static of(values: Float32Array): Histogram {
    const h = new Histogram()
    for (let i = 0; i < values.length; i++) h.add(values[i])
    return h
  }

  add(value: number): void {
    this.bins[Math.min(255, Math.max(0, Math.floor(value * 256)))]++
    this.count++
  }

  /** The level below which a fraction `q` of the values lie (the centre of its bin). */
  quantile(q: number): number {
    const target = q * (this.count - 1)
    let seen = 0
    for (let b = 0; b < 256; b++) {
      seen += this.bins[b]
      if (seen > target) return (b + 0.5) / 256
    }
    return 1
  }
}

/** A background whose levels spread less than this is one surface: nothing to separate. */
const MIN_LEVEL_SPREAD = 0.08

/** The background's dark and bright levels (2nd and 98th percentiles); undefined when it is too small or one surface. */
function levelSpread(background: GrayImage): { dark: number; bright: number } | undefined {
  if (background.width < 4 || background.height < 4) return undefined
  const levels = Histogram.of(background.data)
  const dark = levels.quantile(0.02),
    bright = levels.quantile(0.98)
  return bright - dark < MIN_LEVEL_SPREAD ? undefined : { dark, bright }
}

/**
 * Whether `findSheet` looks for a sheet in this background at all: a grid too small, or one
 * surface with no brighter part, has none, and its colour need not be measured.
 */
export const mayHoldSheet = (background: GrayImage): boolean => levelSpread(background) !== undefined

/**
 * The largest 4-connected region of cells brighter than `threshold`, with its holes filled (ink,
 * a stain or a photo on the sheet is still sheet), as each row's first and last cell.
 *
 * @param paper per cell, 1 where it may be paper (near-neutral); without it any bright cell may
 * @returns the filled region's area in cells and, per grid row, [first, last] cell or undefined
 */
export function largestBrightRegion(
  grid: GrayImage,
  threshold: number,
  openingCells = 0,
  paper?: Uint8Array,
): { area: number; rowEnds: Array<[number, number] | undefined> } | undefined {
  const { width, height, data } = grid
  const bright = new Uint8Array(data.length)
  for (let i = 0; i < data.length; i++) bright[i] = data[i] > threshold && (paper === undefined || paper[i] === 1) ? 1 : 0
  // Components are found once thin bright parts are opened away...
  const opened = openingCells > 0 ? openBinary(bright, width, height, openingCells) : bright
  const label = new Int32Array(data.length)
  const queue = new Int32Array(data.length)
  let bestLabel = 0,
    bestSize = 0,
    next = 0
  for (let start = 0; start < data.length; start++) {
    if (label[start] !== 0 || opened[start] === 0) continue
    const size = floodFill(opened, width, height, start, label, ++next, queue)
    if (size > bestSize) {
      bestSize = size
      bestLabel = next
    }
  }
  if (bestLabel === 0) return undefined

  // Everything not in the region that the frame's border can reach is outside; the rest are holes.
  const notRegion = new Uint8Array(data.length)
  // ...and the largest one gets back the bright cells the opening took from it (a corner's tip), not
  // those further away (a pen lying against the sheet).
  // (Typed arrays are filled by loops here: `TypedArray.from` walks its source through the iterator.)
  const region = new Uint8Array(data.length)
  for (let i = 0; i < data.length; i++) region[i] = label[i] === bestLabel ? 1 : 0
  if (openingCells > 0) {
    const near = binaryRankFilter(region, width, height, openingCells + 1, 'max')
    for (let i = 0; i < data.length; i++) region[i] = bright[i] === 1 && near[i] === 1 ? 1 : 0
  }
  for (let i = 0; i < data.length; i++) notRegion[i] = region[i] === 1 ? 0 : 1
  const outside = new Int32Array(data.length)
  const border = (i: number): void => {
    if (notRegion[i] === 1 && outside[i] === 0) floodFill(notRegion, width, height, i, outside, 1, queue)
  }
  for (let x = 0; x < width; x++) {
    border(x)
    border((height - 1) * width + x)
  }
  for (let y = 0; y < height; y++) {
    border(y * width)
    border(y * width + width - 1)
  }
  const rowEnds: Array<[number, number] | undefined> = []
  let area = 0
  for (let y = 0; y < height; y++) {
    let first = -1,
      last = -1
    for (let x = 0; x < width; x++) {
      if (outside[y * width + x] !== 0) continue
      area++
      if (first < 0) first = x
      last = x
    }
    rowEnds.push(first < 0 ? undefined : [first, last])
  }
  return { area, rowEnds }
}

/**
 * Binary opening by a (2·radius+1)² square (erosion then dilation, cells outside the grid count as
 * set so that a sheet running out of the frame keeps its edge there): removes bright parts thinner
 * than the square and keeps the rest as it was.
 */
function openBinary(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  return binaryRankFilter(binaryRankFilter(mask, width, height, radius, 'min'), width, height, radius, 'max')
}

/**
 * Marks with `mark` the 4-connected cells of `mask` reachable from `start` (breadth first).
 *
 * @returns how many cells were marked
 */
function floodFill(
  mask: Uint8Array,
  width: number,
  height: number,
  start: number,
  label: Int32Array,
  mark: number,
  queue: Int32Array,
): number {
  let head = 0,
    tail = 0
  queue[tail++] = start
  label[start] = mark
  while (head < tail) {
    const i = queue[head++]
    const x = i % width,
      y = (i - x) / width
    if (x > 0 && mask[i - 1] === 1 && label[i - 1] !== mark) {
      label[i - 1] = mark
      queue[tail++] = i - 1
    }
    if (x < width - 1 && mask[i + 1] === 1 && label[i + 1] !== mark) {
      label[i + 1] = mark
      queue[tail++] = i + 1
    }
    if (y > 0 && mask[i - width] === 1 && label[i - width] !== mark) {
      label[i - width] = mark
      queue[tail++] = i - width
    }
    if (y < height - 1 && mask[i + width] === 1 && label[i + width] !== mark) {
      label[i + width] = mark
      queue[tail++] = i + width
    }
  }
  return tail
}

/**
 * Convex hull (Andrew's monotone chain) of the cells given as each row's first and last cell, in
 * cell-corner coordinates, clockwise on screen.
 */
export function convexHull(rowEnds: ReadonlyArray<readonly [number, number] | undefined>): Point[] {
  const points: Point[] = []
  rowEnds.forEach((ends, y) => {
    if (ends === undefined) return
    points.push({ x: ends[0], y }, { x: ends[0], y: y + 1 }, { x: ends[1] + 1, y }, { x: ends[1] + 1, y: y + 1 })
  })
  points.sort((a, b) => a.x - b.x || a.y - b.y)
  const cross = (o: Point, a: Point, b: Point): number => (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x)
  const lower: Point[] = [],
    upper: Point[] = []
  for (const p of points) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], p) <= 0) lower.pop()
    lower.push(p)
  }
  for (let i = points.length - 1; i >= 0; i--) {
    const p = points[i]
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], p) <= 0) upper.pop()
    upper.push(p)
  }
  // With y pointing down, the monotone chain's counter-clockwise order is clockwise on screen.
  return [...lower.slice(0, -1), ...upper.slice(0, -1)]
}

/** Area of a simple polygon (shoelace), positive whatever the orientation. */
export function polygonArea(polygon: readonly Point[]): number {
  let twice = 0
  for (let i = 0; i < polygon.length; i++) {
    const a = polygon[i],
      b = polygon[(i + 1) % polygon.length]
    twice += a.x * b.y - b.x * a.y
  }
  return Math.abs(twice) / 2
}

/**
 * Drops the corners of a convex polygon that lie less than `tolerance` off the line through their
 * two neighbours, nearest first (as Visvalingam–Whyatt, with the distance in place of the
 * triangle's area, so that a long gently bent edge of a sheet in perspective counts as straight),
 * so that a staircase of cells along a straight edge becomes one side.
 */
export function simplifyConvex(polygon: readonly Point[], tolerance: number): Point[] {
  const out = [...polygon]
  const triangle = (i: number): number => {
    const a = out[(i + out.length - 1) % out.length],
      b = out[i],
      c = out[(i + 1) % out.length]
    return Math.abs((b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)) / (Math.hypot(c.x - a.x, c.y - a.y) || 1)
  }
  while (out.length > 3) {
    let smallest = 0,
      smallestArea = Infinity
    for (let i = 0; i < out.length; i++) {
      const area = triangle(i)
      if (area < smallestArea) {
        smallestArea = area
        smallest = i
      }
    }
    if (smallestArea > tolerance) break
    out.splice(smallest, 1)
  }
  return out
}

/** Whether the side a→b runs along one edge of a `width` × `height` frame (within a cell). */
function onFrame(a: Point, b: Point, width: number, height: number): boolean {
  return (
    (a.x <= 1 && b.x <= 1) || (a.y <= 1 && b.y <= 1) || (a.x >= width - 1 && b.x >= width - 1) || (a.y >= height - 1 && b.y >= height - 1)
  )
}

/**
 * The half-planes of a convex polygon: `nx·x + ny·y ≥ offset` inside, with a unit normal, so that
 * the left side of `nx·x + ny·y − offset` is the distance to that side.
 */
export function insideHalfPlanes(polygon: readonly Point[]): Array<{ nx: number; ny: number; offset: number }> {
  let twice = 0
  for (let i = 0; i < polygon.length; i++) {
    const a = polygon[i],
      b = polygon[(i + 1) % polygon.length]
    twice += a.x * b.y - b.x * a.y
  }
  const sign = twice >= 0 ? 1 : -1
  return polygon.map((a, i) => {
    const b = polygon[(i + 1) % polygon.length]
    const dx = b.x - a.x,
      dy = b.y - a.y
    const length = Math.hypot(dx, dy) || 1
    // For a polygon of positive shoelace area the inside lies to the left of each side, (−dy, dx).
    const nx = (-dy * sign) / length,
      ny = (dx * sign) / length
    return { nx, ny, offset: nx * a.x + ny * a.y }
  })
}

/**
 * The side of a convex polygon a point belongs to, and its signed distance to it (positive
 * inside): from inside, the side at the smallest distance; from outside, the one most crossed.
 *
 * @param planes the polygon's sides as inside half-planes (`insideHalfPlanes`)
 */
export function nearestSide(
  planes: ReadonlyArray<{ nx: number; ny: number; offset: number }>,
  px: number,
  py: number,
): { nearest: number; distance: number } {
  let nearest = 0,
    distance = Infinity
  for (let i = 0; i < planes.length; i++) {
    const d = planes[i].nx * px + planes[i].ny * py - planes[i].offset
    if (d < distance) {
      distance = d
      nearest = i
    }
  }
  return { nearest, distance }
}

/**
 * Signed distance from `p` to the border of a convex polygon given by {@link insideHalfPlanes}:
 * positive inside, negative outside (exact inside, a lower bound of the distance outside).
 */
export function distanceInside(planes: ReadonlyArray<{ nx: number; ny: number; offset: number }>, p: Point): number {
  return nearestSide(planes, p.x, p.y).distance
}
