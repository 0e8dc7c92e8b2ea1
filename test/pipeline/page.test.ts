import t from 'tap'
import { estimateBackground, flattenBackground } from '../../src/pipeline/background.js'
import { PIPELINE_CONFIG } from '../../src/pipeline/config.js'
import { chromaGrid, type ColourImage } from '../../src/pipeline/chroma.js'
import { toLuma } from '../../src/pipeline/decode.js'
import { inkDensity } from '../../src/pipeline/deskew.js'
import type { GrayImage } from '../../src/pipeline/image.js'
import {
  convexHull,
  distanceInside,
  findSheet,
  insideHalfPlanes,
  mayHoldSheet,
  nearestSide,
  polygonArea,
  simplifyConvex,
  type Point,
} from '../../src/pipeline/page.js'
import { grayFrom } from '../helpers/images.js'

const SHEET = PIPELINE_CONFIG.page
const WIDTH = 240,
  HEIGHT = 200
/** As find-letters sizes the background cells. */
const CELL = Math.max(2, Math.round(Math.sqrt(WIDTH * HEIGHT) / PIPELINE_CONFIG.background.cellsAcrossPage))

/**
 * Runs the sheet finder on an image as find-letters does (with the flattened image's ink coverage
 * unless `textureBlind`, and with the cells' colour when the image has some).
 */
function sheetOf(image: GrayImage, textureBlind = false, colour?: ColourImage): ReturnType<typeof findSheet> {
  const options = { ...PIPELINE_CONFIG.background, cellSize: CELL }
  const background = estimateBackground(image, options)
  const coverage = textureBlind ? undefined : inkDensity(flattenBackground(image, options, background), SHEET.inkCoverageLevel, CELL)
  const chroma = colour && chromaGrid(colour, background, CELL, SHEET)
  return findSheet(background, CELL, image.width, image.height, SHEET, coverage, chroma)
}

/** A colour image filled by a function of the pixel position (8-bit RGB), and its luma as decode makes it. */
function colourFrom(rgb: (x: number, y: number) => readonly [number, number, number]): { colour: ColourImage; gray: GrayImage } {
  const data = new Uint8Array(3 * WIDTH * HEIGHT)
  for (let y = 0; y < HEIGHT; y++) for (let x = 0; x < WIDTH; x++) data.set(rgb(x, y), 3 * (y * WIDTH + x))
  return { colour: { width: WIDTH, height: HEIGHT, channels: 3, data }, gray: { width: WIDTH, height: HEIGHT, data: toLuma(data, 3) } }
}

/** Whether p is inside the convex polygon. */
const inside = (polygon: readonly Point[], p: Point): boolean => distanceInside(insideHalfPlanes(polygon), p) >= 0

/** A sheet turned by 12°, 150 × 110 px, on a dark desk; a few dark strokes of writing on it. */
const turn = (12 * Math.PI) / 180
const centre = { x: 118, y: 104 }
const corners: Point[] = [
  [-75, -55],
  [75, -55],
  [75, 55],
  [-75, 55],
].map(([u, v]) => ({
  x: centre.x + u * Math.cos(turn) - v * Math.sin(turn),
  y: centre.y + u * Math.sin(turn) + v * Math.cos(turn),
}))
const sheetOnDesk = grayFrom(WIDTH, HEIGHT, (x, y) => {
  const p = { x: x + 0.5, y: y + 0.5 }
  if (!inside(corners, p)) return 0.12 + 0.04 * Math.sin(x * 0.9) * Math.sin(y * 0.3) // wood grain
  return y % 18 < 2 && x % 30 < 20 ? 0.2 : 0.88
})

t.test('a sheet on a dark desk: its four corners are found within a few pixels', async (t) => {
  const sheet = sheetOf(sheetOnDesk)
  if (sheet === undefined) return t.fail('no sheet found')
  t.equal(sheet.corners.length, 4, 'a quadrilateral')
  t.equal(sheet.sidesInView, 4)
  for (const c of corners) {
    const nearest = Math.min(...sheet.corners.map((f) => Math.hypot(f.x - c.x, f.y - c.y)))
    t.ok(nearest <= 3 * CELL, `corner (${c.x.toFixed(0)}, ${c.y.toFixed(0)}) found ${nearest.toFixed(1)} px off`)
  }
  t.ok(sheet.surroundLevel < 0.3 * sheet.paperLevel, 'the desk is far darker than the paper')
})

t.test('a sheet that runs out of the frame on two sides is still a sheet', async (t) => {
  const cornerOfSheet = grayFrom(WIDTH, HEIGHT, (x, y) => (x > 60 && y > 50 ? 0.9 : 0.08))
  const sheet = sheetOf(cornerOfSheet)
  if (sheet === undefined) return t.fail('no sheet found')
  t.equal(sheet.sidesInView, 2)
  t.ok(inside(sheet.corners, { x: 150, y: 120 }) && !inside(sheet.corners, { x: 30, y: 20 }), 'the paper in, the desk out')
})

t.test('no sheet: a crop of paper, a drawing, light falling off, a straight shadow across the page', async (t) => {
  const paper = grayFrom(WIDTH, HEIGHT, (x, y) => ((x + y) % 37 < 3 ? 0.25 : 0.9))
  t.equal(sheetOf(paper), undefined, 'paper to the edges')
  const drawing = grayFrom(WIDTH, HEIGHT, (x, y) => (Math.abs(x - 2 * y) < 4 || Math.abs(x + y - 200) < 4 ? 0 : 1))
  t.equal(sheetOf(drawing), undefined, 'black strokes on white')
  const vignette = grayFrom(WIDTH, HEIGHT, (x, y) => 0.9 - 0.6 * Math.min(1, Math.hypot((x - 120) / 120, (y - 100) / 100) ** 2))
  t.equal(sheetOf(vignette), undefined, 'dark corners from the lens')
  const shadow = grayFrom(WIDTH, HEIGHT, (x, y) => (x + 0.4 * y > 170 ? 0.5 : 0.9))
  t.equal(sheetOf(shadow), undefined, 'a hard straight shadow is not the edge of a sheet')
  t.equal(sheetOf(grayFrom(WIDTH, HEIGHT, () => 0.8)), undefined, 'a blank frame')
})

t.test('one side in view on a light, grained desk is a sheet; the same step in brightness from a smooth shadow is not', async (t) => {
  // The paper fills the frame below y = 60; above it a desk two thirds as bright as the paper,
  // too bright for a sheet with one side in view unless its grain shows it is no paper in shadow.
  const paperLevel = 0.9,
    deskLevel = 0.6
  const grainedDesk = grayFrom(WIDTH, HEIGHT, (x, y) => (y >= 60 ? paperLevel : (x + 2 * y) % 8 < 3 ? 0.4 * deskLevel : deskLevel))
  const sheet = sheetOf(grainedDesk)
  if (sheet === undefined) return t.fail('no sheet found')
  t.equal(sheet.sidesInView, 1)
  t.ok(inside(sheet.corners, { x: 120, y: 150 }) && !inside(sheet.corners, { x: 120, y: 20 }), 'the paper in, the desk out')
  t.equal(sheetOf(grainedDesk, true), undefined, 'blind to texture, the step alone is too small for one side in view')
  const smoothShadow = grayFrom(WIDTH, HEIGHT, (x, y) => (y >= 60 ? paperLevel : deskLevel))
  t.equal(sheetOf(smoothShadow), undefined, 'a smooth surround as bright is a shadow, not a desk')
  // Ruled paper has ink-dark lines of its own: grain is told from it by how much more of it there is.
  const ruledOnGrain = grayFrom(WIDTH, HEIGHT, (x, y) => (y >= 60 ? (y % 10 < 2 ? 0.3 : paperLevel) : grainedDesk.data[y * WIDTH + x]))
  t.ok(sheetOf(ruledOnGrain) !== undefined, 'ruled paper on the grained desk is still a sheet')
})

t.test('a sheet with clutter over its corner and a pen touching its edge is still found whole', async (t) => {
  // A sticky note (lighter than the desk, darker than paper) over the sheet's lower-right corner,
  // and a bright pen 4 px (two cells) wide from the sheet's top edge to the frame.
  const cluttered = grayFrom(WIDTH, HEIGHT, (x, y) => {
    if (x >= 178 && x < 215 && y >= 150 && y < 187) return 0.7
    if (Math.abs(x - 0.5 * y - 95) < 2 && y < 50) return 0.95
    return sheetOnDesk.data[y * WIDTH + x]
  })
  const sheet = sheetOf(cluttered)
  if (sheet === undefined) return t.fail('no sheet found')
  for (const c of corners.slice(0, 3)) {
    const nearest = Math.min(...sheet.corners.map((f) => Math.hypot(f.x - c.x, f.y - c.y)))
    t.ok(nearest <= 3 * CELL, `corner (${c.x.toFixed(0)}, ${c.y.toFixed(0)}) found ${nearest.toFixed(1)} px off`)
  }
  t.ok(inside(sheet.corners, { x: 150, y: 140 }), 'the paper near the covered corner is in')
  t.notOk(inside(sheet.corners, { x: 100, y: 15 }), 'the pen is out')
})

t.test('a hard shadow across the sheet and onto a light desk: the sheet is still found whole', async (t) => {
  // The shadow of something standing below the frame (a slanted band from the bottom, over the
  // sheet's lower edge) halves paper and desk alike, so the shaded paper (0.44) is darker than the
  // lit desk (0.5): no one threshold has the whole sheet and none of the desk, and the lit part
  // alone has a notch bitten out of it. Each side of the sheet still steps down all along.
  const shaded = (x: number, y: number): boolean => y > 90 && x - 0.3 * y > 60 && x - 0.3 * y < 100
  const shadowAcross = grayFrom(WIDTH, HEIGHT, (x, y) => {
    const p = { x: x + 0.5, y: y + 0.5 }
    const level = inside(corners, p) ? (y % 18 < 2 && x % 30 < 20 ? 0.2 : 0.88) : 0.5
    return shaded(x, y) ? 0.5 * level : level
  })
  const sheet = sheetOf(shadowAcross)
  if (sheet === undefined) return t.fail('no sheet found')
  for (const c of corners) {
    const nearest = Math.min(...sheet.corners.map((f) => Math.hypot(f.x - c.x, f.y - c.y)))
    t.ok(nearest <= 3 * CELL, `corner (${c.x.toFixed(0)}, ${c.y.toFixed(0)}) found ${nearest.toFixed(1)} px off`)
  }
  t.ok(inside(sheet.corners, { x: 140, y: 150 }), 'the shaded paper is in')
  t.notOk(inside(sheet.corners, { x: 140, y: 190 }), 'the shaded desk is out')
})

t.test('a notched bright region whose hull bridges the desk is no sheet: two cards side by side', async (t) => {
  // Two bright cards joined by a thin bridge: neither convex together nor a sheet with a shadow,
  // since the hull's side across the gap between them has desk on both sides.
  const cards = grayFrom(WIDTH, HEIGHT, (x, y) => {
    const left = x >= 30 && x < 110 && y >= 30 && y < 170
    const right = x >= 130 && x < 210 && y >= 70 && y < 170
    const bridge = x >= 110 && x < 130 && y >= 150 && y < 170
    return left || right || bridge ? 0.9 : 0.3
  })
  const sheet = sheetOf(cards)
  t.ok(sheet === undefined || !inside(sheet.corners, { x: 150, y: 40 }), 'the desk between the cards is not taken for paper')
})

t.test('geometry: the hull of cells, its area, and corners simplified away', async (t) => {
  // An L of cells: rows 0–1 span cells 0–3, rows 2–3 span cells 0–1.
  const hull = convexHull([
    [0, 3],
    [0, 3],
    [0, 1],
    [0, 1],
  ])
  t.same(
    hull.map((p) => [p.x, p.y]).sort(),
    [
      [0, 0],
      [0, 4],
      [2, 4],
      [4, 0],
      [4, 2],
    ].sort(),
  )
  t.equal(polygonArea(hull), 14)
  // A square with a vertex half a cell off its top side: that corner is a step, not a corner.
  const square = [
    { x: 0, y: 0 },
    { x: 5, y: 0.5 },
    { x: 10, y: 0 },
    { x: 10, y: 10 },
    { x: 0, y: 10 },
  ]
  t.same(simplifyConvex(square, 1), [
    { x: 0, y: 0 },
    { x: 10, y: 0 },
    { x: 10, y: 10 },
    { x: 0, y: 10 },
  ])
  t.equal(simplifyConvex(square, 0.1).length, 5)
  const planes = insideHalfPlanes([
    { x: 0, y: 0 },
    { x: 10, y: 0 },
    { x: 10, y: 10 },
    { x: 0, y: 10 },
  ])
  t.equal(distanceInside(planes, { x: 3, y: 5 }), 3)
  t.equal(distanceInside(planes, { x: 12, y: 5 }), -2)
  // Sides run top, right, bottom, left: a point inside belongs to the closest, one outside to the one it crossed.
  t.same(nearestSide(planes, 3, 5), { nearest: 3, distance: 3 })
  t.same(nearestSide(planes, 5, 9), { nearest: 2, distance: 1 })
  t.same(nearestSide(planes, 12, 5), { nearest: 1, distance: -2 })
})

t.test('an off-white sheet on an orange desk as bright as its dim half is found by its colour', async (t) => {
  // Light falls off to the right: the paper goes from 0.9 to 0.5, the orange desk is 0.5 throughout,
  // so no grey threshold has the sheet without the desk; the desk is saturated, the paper is not.
  const orange = [190, 125, 60] as const
  const page = colourFrom((x, y) => {
    const p = { x: x + 0.5, y: y + 0.5 }
    if (!inside(corners, p)) return orange
    const light = 0.97 - (0.43 * x) / WIDTH
    const ink = y % 18 < 2 && x % 30 < 20
    return ink ? [50, 50, 60] : [Math.round(250 * light), Math.round(244 * light), Math.round(232 * light)]
  })
  const sheet = sheetOf(page.gray, false, page.colour)
  if (sheet === undefined) return t.fail('no sheet found')
  for (const c of corners) {
    const nearest = Math.min(...sheet.corners.map((f) => Math.hypot(f.x - c.x, f.y - c.y)))
    t.ok(nearest <= 3 * CELL, `corner (${c.x.toFixed(0)}, ${c.y.toFixed(0)}) found ${nearest.toFixed(1)} px off`)
  }
  const blind = sheetOf(page.gray)
  t.ok(blind === undefined || inside(blind.corners, { x: 225, y: 100 }), 'blind to colour, the sheet is not told from the desk')
})

t.test('without colour to tell, the sheet finder behaves exactly as on grey', async (t) => {
  // A white sheet on a grey desk, and the sheet on wood in greys: colour adds nothing to either.
  const greyDesk = colourFrom((x, y) => {
    const v = Math.round(255 * sheetOnDesk.data[y * WIDTH + x])
    return [v, v, v]
  })
  t.same(sheetOf(greyDesk.gray, false, greyDesk.colour), sheetOf(greyDesk.gray), 'greys in RGB: as in grey')
  const whiteOnGrey = colourFrom((x, y) => (inside(corners, { x: x + 0.5, y: y + 0.5 }) ? [236, 238, 240] : [120, 122, 125]))
  const sheet = sheetOf(whiteOnGrey.gray, false, whiteOnGrey.colour)
  t.ok(sheet !== undefined, 'a white sheet on a grey desk is found')
  t.same(sheet, sheetOf(whiteOnGrey.gray), 'as it is without colour')
})

t.test('a sheet is looked for only where the background has a brighter part', async (t) => {
  const grid = grayFrom
  t.notOk(mayHoldSheet(grid(20, 20, () => 0.8)), 'one surface')
  t.notOk(mayHoldSheet(grid(20, 20, (x) => 0.8 + 0.001 * x)), 'a gentle gradient')
  t.ok(mayHoldSheet(grid(20, 20, (x, y) => (x > 4 && x < 15 && y > 4 && y < 15 ? 0.9 : 0.3))), 'a bright sheet on a dark desk')
  t.notOk(mayHoldSheet(grid(3, 20, (x, y) => (y > 10 ? 0.9 : 0.3))), 'too few cells')
})
