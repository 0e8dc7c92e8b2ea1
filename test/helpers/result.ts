import type { Test } from 'tap'
import type { Box } from '../../src/pipeline/image.js'
import { ocrResultSchema } from '../../src/reading/result.js'

const inside = (inner: Box, outer: Box): boolean =>
  inner.x >= outer.x &&
  inner.y >= outer.y &&
  inner.x + inner.width <= outer.x + outer.width &&
  inner.y + inner.height <= outer.y + outer.height

/**
 * Checks every field of an OCR response: the schema, boxes inside the image, each char's box in
 * its word's and each word's in its line's, confidences in [0, 1], reading order, and that the
 * texts are assembled from their parts.
 */
export function checkOcrResponse(t: Test, body: unknown, alternatives: number): void {
  const parsed = ocrResultSchema.safeParse(body)
  t.ok(parsed.success, parsed.success ? 'matches the response schema' : JSON.stringify(parsed.error.issues.slice(0, 3)))
  if (!parsed.success) return
  const result = parsed.data
  const page: Box = { x: 0, y: 0, width: result.image.width, height: result.image.height }
  const problems: string[] = []
  result.lines.forEach((line, l) => {
    if (!inside(line.box, page)) problems.push(`line ${l} box outside the image`)
    if (line.text !== line.words.map((w) => w.text).join(' ')) problems.push(`line ${l} text is not its words joined by spaces`)
    line.words.forEach((word, w) => {
      if (!inside(word.box, line.box)) problems.push(`line ${l} word ${w} box outside its line`)
      if (word.text !== word.chars.map((c) => c.text).join('')) problems.push(`line ${l} word ${w} text is not its chars`)
      if (w > 0 && word.box.x < line.words[w - 1].box.x) problems.push(`line ${l} word ${w} out of order`)
      word.chars.forEach((char, c) => {
        if (!inside(char.box, word.box)) problems.push(`line ${l} word ${w} char ${c} box outside its word`)
        if (c > 0 && char.box.x < word.chars[c - 1].box.x) problems.push(`line ${l} word ${w} char ${c} out of order`)
        if (char.text !== '.' && char.alternatives.length !== alternatives)
          problems.push(`char ${l}.${w}.${c} has ${char.alternatives.length} alternatives`)
        for (let a = 1; a < char.alternatives.length; a++)
          if (char.alternatives[a].confidence > char.alternatives[a - 1].confidence)
            problems.push(`char ${l}.${w}.${c} alternatives not sorted`)
      })
    })
    if (l > 0 && line.box.y + line.box.height / 2 < result.lines[l - 1].box.y + result.lines[l - 1].box.height / 2)
      problems.push(`line ${l} above line ${l - 1}`)
  })
  if (result.text !== result.lines.map((l) => l.text).join('\n')) problems.push('text is not the lines joined by newlines')
  t.same(problems, [], 'boxes nest, order holds, texts add up')
}
