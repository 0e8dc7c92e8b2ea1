import t from 'tap'
import { caseBySize, lineMetrics, pageMetrics, type PlacedCharacter } from '../../src/reading/letter-case.js'

const OPTIONS = { xHeightRatio: 0.6 }
const char = (text: string, top: number, bottom = 30): PlacedCharacter => ({ text, top, bottom })
const read = (chars: PlacedCharacter[], page?: ReturnType<typeof pageMetrics>): string => {
  const metrics = lineMetrics(chars)
  return chars.map((c) => caseBySize(c, metrics, page, OPTIONS)).join('')
}

t.test('small copies of capitals take their case from their height on the line', async (t) => {
  // "Sun": the classifier said S, U, n; the n measures the x-height (18 of a 30 px cap height).
  t.equal(read([char('S', 0), char('U', 12), char('n', 12)]), 'Sun')
  // A capital word: the B measures the cap height, O and X reach it.
  t.equal(read([char('B', 0), char('o', 1), char('x', 0)]), 'BOX')
  // "swim": the i and the m at the x-height, the reading's case wrong on all three size-cased letters.
  t.equal(read([char('S', 12), char('W', 12), char('i', 5), char('M', 12), char('a', 12)]), 'swima')
})

t.test('a descender does not move the baseline: p and y by the height above it', async (t) => {
  t.equal(read([char('P', 12, 42), char('a', 12), char('d', 0)]), 'pad')
  t.equal(read([char('Y', 0), char('E', 0), char('S', 0)]), 'YES')
  t.equal(read([char('m', 12), char('a', 12), char('Y', 12, 42)]), 'may')
})

t.test('a comma hangs at the baseline, an apostrophe at the top', async (t) => {
  t.equal(read([char('d', 0), char('O', 12), char('n', 12), char(',', 2, 10), char('t', 4)]), "don't")
  t.equal(read([char('a', 12), char("'", 27, 36), char('b', 0)]), 'a,b')
})

t.test("a line that measures no height takes the page's; without either, readings stay", async (t) => {
  const line = [char('S', 0), char('O', 12), char('S', 1)]
  t.equal(read(line), 'SOS', 'nothing to measure: as read')
  const page = pageMetrics([lineMetrics([char('a', 12), char('h', 0)]), undefined])
  t.equal(read(line, page), 'SoS')
  t.equal(lineMetrics([char('.', 28)]), undefined, 'no letter to stand on the baseline')
})
