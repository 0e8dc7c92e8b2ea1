import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import type { Box } from '../../src/pipeline/image.js'
import { Reader } from '../../src/reading/reader.js'
import { repoRoot } from '../helpers/data.js'
import { charBoxes, iou, layoutShape, textShape } from '../helpers/layout.js'

interface TruthChar {
  text: string
  box: Box
}
interface TruthPage {
  width: number
  height: number
  lines: Array<{ text: string; words: Array<{ text: string; chars: TruthChar[] }> }>
}

const notesDir = join(repoRoot, 'fixtures', 'notes')
const truth: Record<string, TruthPage> = JSON.parse(readFileSync(join(notesDir, 'boxes.json'), 'utf8'))
/** Our boxes come from a 1.2 MP working image scaled back; truth boxes are exact. */
const MIN_MEAN_IOU = 0.9
const MIN_IOU = 0.7

// Letters are found by reading: the segmentation is the search's (context off: the same segmentation).
const reader = new Reader()
t.teardown(() => reader.close())

for (const [file, page] of Object.entries(truth)) {
  t.test(`fixture ${file}`, async (t) => {
    const found = await reader.recognize(readFileSync(join(notesDir, file)), { context: false })
    t.equal(found.image.width, page.width)
    t.equal(found.image.height, page.height)
    t.same(
      layoutShape(found),
      page.lines.map((l) => textShape(l.text)),
      'lines, words, letters and periods',
    )
    const foundBoxes = charBoxes(found)
    const truthBoxes = page.lines.flatMap((l) => l.words.flatMap((w) => w.chars.map((c) => c.box)))
    if (foundBoxes.length !== truthBoxes.length) return
    const overlaps = truthBoxes.map((b, i) => iou(b, foundBoxes[i]))
    const mean = overlaps.reduce((s, v) => s + v, 0) / overlaps.length
    t.ok(mean >= MIN_MEAN_IOU, `mean IoU of letter boxes ${mean.toFixed(3)}`)
    t.ok(Math.min(...overlaps) >= MIN_IOU, `worst IoU ${Math.min(...overlaps).toFixed(3)}`)
  })
}
