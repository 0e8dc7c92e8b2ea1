import t from 'tap'
import { baselineAt, caseBySize, consistentCase, lineMetrics, type PlacedCharacter } from '../../src/reading/letter-case.js'

const OPTIONS = { capQuantile: 0.9, smallLetterFraction: 0.8, xHeightRatio: 0.6, minCapitalVotes: 2, dotlessStrokeRise: 0.25 }
const char = (text: string, top: number, bottom = 30): PlacedCharacter => ({ text, top, bottom })
const read = (chars: PlacedCharacter[]): string => {
  const metrics = lineMetrics(chars, OPTIONS)
  return chars.map((c) => caseBySize(c, metrics, OPTIONS)).join('')
}

t.test('small copies of capitals take their case from their height on the line', async (t) => {
  // "Sun is on": S and the i's dot reach the cap height (0), the rest stand at the x-height (12 of 30).
  t.equal(read([char('S', 0), char('U', 12), char('n', 12), char('i', 2), char('S', 12), char('O', 12), char('n', 12)]), 'Sunison')
  // "swim pad": size-cased letters read in the wrong case, a descender that does not move the baseline.
  t.equal(read([char('S', 12), char('W', 12), char('i', 4), char('M', 12), char('P', 12, 42), char('a', 12), char('d', 0)]), 'swimpad')
})

t.test('a line written in capitals is all capitals, whatever the crops were read as', async (t) => {
  t.equal(read([char('s', 1), char('I', 0), char('m', 2), char('o', 1), char('N', 0)]), 'SIMON')
  t.equal(read([char('B', 0), char('u', 2), char('T', 0)]), 'BUT')
})

t.test('a line that drifts from the page skew has a sloped baseline', async (t) => {
  // "swim pads" rising 2 px per 10 px along the line: x-height letters 18 tall, b and d 30 tall.
  // A level baseline would put the right end's small letters as high as the left end's tall ones.
  const sloped = (text: string, height: number, u: number, descends = 0): PlacedCharacter => {
    const bottom = 100 - 0.2 * u + descends
    return { text, top: bottom - descends - height, bottom, u }
  }
  const line = [
    sloped('d', 30, 0),
    sloped('S', 18, 20),
    sloped('W', 18, 40),
    sloped('i', 24, 60),
    sloped('M', 18, 80),
    sloped('P', 18, 100, 12),
    sloped('a', 18, 120),
    sloped('b', 30, 140),
    sloped('S', 18, 160),
    sloped('O', 18, 180),
  ]
  const metrics = lineMetrics(line, OPTIONS)
  t.ok(metrics !== undefined && Math.abs(metrics.slope + 0.2) < 1e-9, 'the fitted slope')
  t.ok(
    metrics !== undefined && Math.abs(metrics.capHeight - 30) < 1e-9 && metrics.xHeight === 18,
    'cap height and x-height measured along the slope',
  )
  t.equal(read(line), 'dswimpabso')
  t.equal(baselineAt({ baseline: 100, slope: -0.2 }, line[9]), 64)
})

t.test('a bare stroke as short as the small letters is an i whose dot was not read; as tall as the capitals, it stays', async (t) => {
  // "Is in a line": I and l reach the cap height (0), the i's stems without their dots only the x-height (12).
  const line = [
    char('I', 0),
    char('S', 12),
    char('I', 12),
    char('n', 12),
    char('a', 12),
    char('l', 0),
    char('l', 12),
    char('n', 12),
    char('e', 12),
  ]
  t.equal(read(line), 'Isinaline')
  // An l a third of the way from the x-height (rise 18) to the cap height (30) is a short l, not an i: "lane".
  t.equal(read([char('l', 8), char('a', 12), char('n', 12), char('e', 12), char('d', 0)]), 'laned')
  t.equal(read([char('I', 0), char('N', 0), char('I', 1)]), 'INI', 'a line in capitals keeps its strokes capitals')
})

t.test('a word of mostly tall letters takes its x-height from its small letters of distinct shape', async (t) => {
  // "Call": the median letter is tall, but the a stands at the x-height, so the l's are no dotless i's and the C is a capital.
  t.equal(read([char('C', 0), char('a', 12), char('l', 2), char('l', 0)]), 'Call')
  // "rapid": no such letter stands clearly lower than the tallest, so the line is small letters with few ascenders.
  t.equal(read([char('r', 1), char('a', 0), char('P', 1, 38), char('i', 0), char('d', 0)]), 'rapid')
})

t.test('a comma hangs at the baseline, an apostrophe at the top', async (t) => {
  t.equal(read([char('d', 0), char('o', 12), char('n', 12), char(',', 2, 10), char('t', 4), char('e', 12)]), "don'te")
  t.equal(read([char('a', 12), char("'", 27, 36), char('b', 0), char('e', 12), char('n', 12)]), 'a,ben')
})

t.test('a line with no letter has no metrics and keeps its readings', async (t) => {
  t.equal(lineMetrics([char('.', 28), char('7', 0)], OPTIONS), undefined)
  t.equal(caseBySize(char('o', 3), undefined, OPTIONS), 'o')
})

t.test('after a capital, one case for the letters after it; ties and short words unchanged', async (t) => {
  t.same(consistentCase([...'Hello']).join(''), 'Hello')
  t.same(consistentCase([...'BuTS']).join(''), 'BUTS')
  t.same(consistentCase([...'HeLLO']).join(''), 'HELLO')
  t.same(consistentCase([...'BuTs']).join(''), 'Buts')
  t.same(consistentCase([...'AbC']).join(''), 'AbC', 'a tie after the capital')
  t.same(consistentCase([...'It']).join(''), 'It', 'too short to say')
  t.same(consistentCase([...'Tea4tWo']).join(''), 'Tea4two', 'digits are left alone')
})

t.test('a word that begins small takes the case of most of its letters, small on a tie', async (t) => {
  t.same(consistentCase([...'dentIst']).join(''), 'dentist')
  t.same(consistentCase([...'comPUTER']).join(''), 'COMPUTER', 'its first letter misread small')
  t.same(consistentCase([...'aBcDe']).join(''), 'abcde')
  t.same(consistentCase([...'oF']).join(''), 'of', 'a tie')
  t.same(consistentCase([...'baT']).join(''), 'bat')
  t.same(consistentCase([...'x']).join(''), 'x')
  t.same(consistentCase([...'12']).join(''), '12', 'no letter')
  t.same(consistentCase(["'", 'T', 'i', 's']).join(''), "'Tis", 'a mark first: the capital after it counts as the rest')
})
