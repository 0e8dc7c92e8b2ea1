import t from 'tap'
import { PIPELINE_CONFIG } from '../../src/pipeline/config.js'
import {
  deskewPage,
  estimateTextAngle,
  frameAround,
  identityFrame,
  inkBoxInWorking,
  inkDensity,
  resampleToFrame,
  toReading,
  toWorking,
  touchesPhotoEdge,
} from '../../src/pipeline/deskew.js'
import { grayFrom, seededRandom } from '../helpers/images.js'

const DESKEW = PIPELINE_CONFIG.deskew
const degrees = (radians: number): number => (radians * 180) / Math.PI

/**
 * A block of "text" turned by `turn` degrees: five lines of letter-sized dark blobs with word gaps,
 * 160 px wide, on white paper 240 × 220.
 */
function turnedText(turn: number): ReturnType<typeof grayFrom> {
  const random = seededRandom(7)
  const blobs: Array<{ u: number; v: number; w: number; h: number }> = []
  for (let line = 0; line < 5; line++) {
    for (let u = -80; u < 80; u += 12 + (random() < 0.2 ? 10 : 0)) {
      blobs.push({ u, v: -60 + line * 30, w: 8 + 3 * random(), h: 12 + 3 * random() })
    }
  }
  const a = (turn * Math.PI) / 180,
    cos = Math.cos(a),
    sin = Math.sin(a)
  return grayFrom(240, 220, (x, y) => {
    // Back into the text's own frame, around the page's centre.
    const dx = x - 120,
      dy = y - 110
    const u = dx * cos + dy * sin,
      v = -dx * sin + dy * cos
    return blobs.some((b) => u >= b.u && u < b.u + b.w && v >= b.v && v < b.v + b.h) ? 0.1 : 0.95
  })
}

t.test('the text angle of a turned block of lines, within half a degree', async (t) => {
  for (const turn of [0, 7, -15, 28, -40]) {
    const { radians, lines } = estimateTextAngle(inkDensity(turnedText(turn), 0.5, 2), DESKEW)
    t.ok(Math.abs(degrees(radians) - turn) <= 0.5, `turned ${turn}°: measured ${degrees(radians).toFixed(1)}°`)
    t.equal(lines, 5, 'five lines')
  }
  t.same(
    estimateTextAngle(
      inkDensity(
        grayFrom(20, 20, () => 1),
        0.5,
        2,
      ),
      DESKEW,
    ),
    { radians: 0, lines: 0 },
    'blank paper',
  )
})

t.test('grid paper turned 14°, inked to the edges of the frame: the angle of its lines, not of the frame', async (t) => {
  const turn = (14 * Math.PI) / 180
  const grid = grayFrom(300, 200, (x, y) => {
    const u = x * Math.cos(turn) + y * Math.sin(turn),
      v = -x * Math.sin(turn) + y * Math.cos(turn)
    const onLine = (w: number): boolean => ((w % 16) + 16) % 16 < 1.5
    return onLine(u) || onLine(v) ? 0.3 : 0.95
  })
  const { radians } = estimateTextAngle(inkDensity(grid, 0.5, 2), DESKEW)
  t.ok(Math.abs(degrees(radians) - 14) <= 0.5, `measured ${degrees(radians).toFixed(1)}°`)
})

t.test('a turned page is turned upright, and its boxes map back', async (t) => {
  const page = turnedText(-20)
  const { image, frame, skew, threshold } = deskewPage(page, undefined, 0, DESKEW)
  t.ok(Math.abs(degrees(frame.angle) + 20) <= 0.5, `frame turned ${degrees(frame.angle).toFixed(1)}°`)
  t.equal(skew, 0, 'no slope left')
  t.ok(threshold > 0.1 && threshold < 0.95)
  // Upright, the lines are rows: the ink's row profile has five clean bands.
  const rows: number[] = []
  for (let v = 0; v < image.height; v++) {
    let ink = 0
    for (let u = 0; u < image.width; u++) if (image.data[v * image.width + u] < threshold) ink++
    rows.push(ink)
  }
  let bands = 0
  rows.forEach((n, v) => {
    if (n > 0 && (v === 0 || rows[v - 1] === 0)) bands++
  })
  t.equal(bands, 5, 'five bands of ink, one per line')
  // Round trips between the frames.
  const p = toWorking(frame, 37.5, 12.25),
    back = toReading(frame, p.x, p.y)
  t.ok(Math.abs(back.x - 37.5) < 1e-9 && Math.abs(back.y - 12.25) < 1e-9)
  // A one-pixel glyph maps back to the working pixel it came from.
  const source = toWorking(frame, 50.5, 60.5)
  const box = inkBoxInWorking(frame, { x: 50, y: 60, width: 1, height: 1 }, { width: 1, height: 1, data: Uint8Array.of(1) })
  t.same(box, { x: Math.floor(source.x), y: Math.floor(source.y), width: 1, height: 1 })
  t.ok(touchesPhotoEdge(frame, { x: 0, y: 0, width: 5, height: 5 }, page.width, page.height), "the turned frame's corner is off the photo")
  t.notOk(touchesPhotoEdge(frame, { x: 100, y: 100, width: 5, height: 5 }, page.width, page.height), 'its middle is on it')
})

t.test('a slight slope is left to the line finder, and a single line is never turned', async (t) => {
  const slight = deskewPage(turnedText(4), undefined, 0, DESKEW)
  t.same(slight.frame, identityFrame(240, 220), 'not resampled')
  t.ok(Math.abs(degrees(slight.skew) - 4) <= 0.5, `its slope ${degrees(slight.skew).toFixed(1)}° handed on`)
  const oneLine = grayFrom(200, 100, (x, y) => (Math.abs(y - 50 - 0.5 * (x - 100)) < 6 && x % 14 < 9 && x > 40 && x < 160 ? 0.1 : 0.95))
  t.same(deskewPage(oneLine, undefined, 0, DESKEW).frame, identityFrame(200, 100), 'one drifting word stays as it is')
})

t.test("cutting to a sheet: the frame is the sheet's box, and what lies outside the sheet is paper", async (t) => {
  const image = grayFrom(40, 30, (x, y) => (x + y) / 100)
  const sheet = [
    { x: 10, y: 5 },
    { x: 30, y: 5 },
    { x: 30, y: 25 },
    { x: 10, y: 25 },
  ]
  const frame = frameAround(sheet, 0)
  t.same(frame, { width: 20, height: 20, originX: 10, originY: 5, angle: 0 })
  const cut = resampleToFrame(image, frame, sheet, 2)
  t.equal(cut.data[0], 1, "the margin inside the sheet's edge is white")
  t.equal(cut.data[10 * 20 + 10], image.data[15 * 40 + 20], 'inside, the pixels themselves')
  const whole = resampleToFrame(image, identityFrame(40, 30), undefined, 0)
  t.same(Array.from(whole.data), Array.from(image.data), 'the identity frame copies')
})
