import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import sharp from 'sharp'
import t, { type Test } from 'tap'
import { LOW_CONFIDENCE } from '../../src/formats/presentation.js'
import { repoRoot } from '../helpers/data.js'
import { startServer, type RunningServer } from '../helpers/server.js'

/**
 * The web page in a real browser: Debian's chromium driven by playwright-core, against the built
 * server (`npm run build` first). The machine has no network beyond loopback, so chromium is told
 * to reach for nothing else.
 */

const CHROMIUM = '/usr/bin/chromium'
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
/** Where the screenshots go (git-ignored); look at them after a change to the page. */
const SCREENSHOT_DIR = join(repoRoot, 'test-output', 'screenshots')
/** A reading on a busy 2-core machine can take a while; this only bounds a hung page. */
const READING_TIMEOUT_MS = 120_000
const DESKTOP = { width: 1280, height: 900 }
const PHONE = { width: 390, height: 844 }

const notes = join(repoRoot, 'fixtures', 'notes')
const truth: Record<string, string[]> = JSON.parse(readFileSync(join(notes, 'truth.json'), 'utf8'))

/** Skips without chromium on a developer's machine; under CI=true (where `.ci/run` installs it) its absence fails. */
function skipWithoutChromium(): string | false {
  if (existsSync(CHROMIUM)) return false
  if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing; .ci/run installs it (apt-get install chromium).`)
  return `${CHROMIUM} is absent (DEBIAN_FRONTEND=noninteractive apt-get install -y chromium): skipping the browser test`
}

const skip = skipWithoutChromium()
let server: RunningServer | undefined
if (!skip) {
  server = await startServer({ WORKERS: '1', LOG_LEVEL: 'warn' })
  t.teardown(() => server?.stop())
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
}

/** A browser with a fresh profile of its own, closed and removed when the test ends. */
async function openBrowser(
  t: Test,
  options: Parameters<typeof chromium.launchPersistentContext>[1] = {},
): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const profile = mkdtempSync(join(tmpdir(), 'scrawl-chromium-'))
  // playwright passes the profile to chromium as --user-data-dir (it refuses that flag in args).
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_FLAGS,
    headless: true,
    ...options,
  })
  t.teardown(async () => {
    await context.close()
    rmSync(profile, { recursive: true, force: true })
  })
  const page = context.pages()[0] ?? (await context.newPage())
  // Script errors and refused loads (a CSP violation, a missing file) show up here.
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`)
  })
  return { context, page, problems }
}

/** Waits until the page has shown a reading or a problem, and returns which. */
async function settled(page: Page): Promise<string> {
  await page.waitForSelector('body[data-state="done"], body[data-state="error"]', { timeout: READING_TIMEOUT_MS })
  return page.evaluate(() => document.body.dataset.state ?? '')
}

interface ShownReading {
  text: string
  json: {
    text: string
    image: { width: number; height: number }
    model: { name: string }
    lines: Array<{
      words: Array<{ chars: Array<{ text: string; confidence: number; box: { x: number; y: number; width: number; height: number } }> }>
    }>
  }
  boxes: { line: number; word: number; char: number; doubtful: number; marked: number }
}

async function shownReading(page: Page): Promise<ShownReading> {
  return page.evaluate(() => ({
    text: document.getElementById('text')!.textContent ?? '',
    json: JSON.parse(document.getElementById('json')!.textContent ?? 'null'),
    boxes: {
      line: document.querySelectorAll('#boxes .box.line').length,
      word: document.querySelectorAll('#boxes .box.word').length,
      char: document.querySelectorAll('#boxes .box.char').length,
      doubtful: document.querySelectorAll('#boxes .box.char.doubtful').length,
      marked: document.querySelectorAll('#text mark').length,
    },
  }))
}

/** Checks that the boxes drawn are the JSON's: one per line, word and char, unsure chars marked in the picture and the text. */
function checkBoxes(t: Test, shown: ShownReading): void {
  const chars = shown.json.lines.flatMap((l) => l.words.flatMap((w) => w.chars))
  t.ok(chars.length > 0, 'something was read')
  t.equal(shown.boxes.char, chars.length, `a box per character (${chars.length})`)
  t.equal(
    shown.boxes.word,
    shown.json.lines.reduce((n, l) => n + l.words.length, 0),
    'a box per word',
  )
  t.equal(shown.boxes.line, shown.json.lines.length, 'a box per line')
  const unsure = chars.filter((c) => c.confidence < LOW_CONFIDENCE).length
  t.equal(shown.boxes.doubtful, unsure, `unsure characters stand out in the picture (${unsure})`)
  t.equal(shown.boxes.marked, unsure, 'and in the text')
}

/**
 * Checks that a char box sits where its JSON box is, on the picture as shown (scaled to fit the
 * screen), to within a pixel and a half.
 */
async function checkPlacement(t: Test, page: Page, shown: ShownReading, index: number): Promise<void> {
  const char = shown.json.lines.flatMap((l) => l.words.flatMap((w) => w.chars))[index]
  const photo = (await page.locator('#photo').boundingBox())!
  const box = (await page.locator(`#boxes .char[data-index="${index}"]`).boundingBox())!
  const scale = photo.width / shown.json.image.width
  t.ok(Math.abs(photo.height / shown.json.image.height - scale) < 0.01, 'the picture keeps its shape')
  const expected = {
    x: photo.x + char.box.x * scale,
    y: photo.y + char.box.y * scale,
    width: char.box.width * scale,
    height: char.box.height * scale,
  }
  const off = Math.max(...(['x', 'y', 'width', 'height'] as const).map((k) => Math.abs(box[k] - expected[k])))
  t.ok(off < 1.5, `char ${index} box on its letter (off by ${off.toFixed(2)} px at scale ${scale.toFixed(3)})`)
}

t.test('on a desktop: upload a note, see its text, boxes, tooltip and JSON; errors in plain words', { skip }, async (t) => {
  const { page, problems } = await openBrowser(t, { viewport: DESKTOP })
  await page.goto(`${server!.url}/`)
  t.equal(await page.title(), 'scrawl: read a handwritten note')

  const posts: string[] = []
  page.on('request', (request) => {
    if (request.method() === 'POST') posts.push(request.url())
  })
  await page.setInputFiles('#file-input', join(notes, '09_sign.png'))
  t.equal(await settled(page), 'done', 'the reading is shown')
  const shown = await shownReading(page)
  t.equal(shown.text, truth['09_sign.png'].join('\n'), "the text shown is the note's")
  t.equal(shown.json.text, shown.text, 'the JSON shown is the same reading')
  checkBoxes(t, shown)
  await checkPlacement(t, page, shown, 0)
  t.notOk(await page.locator('#json-view').evaluate((e) => (e as HTMLDetailsElement).open), 'the JSON starts folded')
  t.match(await page.locator('#summary').textContent(), /27 characters, 6 words, 2 lines/)

  // Pointing at a character shows its reading, confidence and alternatives.
  const first = shown.json.lines[0].words[0].chars[0]
  await page.hover('#boxes .char[data-index="0"]')
  const tooltip = page.locator('#tooltip')
  t.ok(await tooltip.isVisible(), 'a tooltip shows on hover')
  const tip = (await tooltip.textContent()) ?? ''
  t.match(tip, first.text, 'with the reading')
  t.match(tip, `${Math.round(first.confidence * 100)}% sure`, 'with the confidence')
  t.match(tip, /Could also be: \S+ \d+%/, 'with the alternatives')
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'ui-desktop.png'), fullPage: true })

  // The JSON view unfolds; the copy button copies the text (the page is on localhost, a secure context).
  await page.click('#json-view summary')
  t.ok(await page.locator('#json').isVisible(), 'the JSON unfolds')
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server!.url })
  await page.click('#copy-text')
  t.equal(await page.evaluate(() => navigator.clipboard.readText()), shown.text, 'Copy text copies the text')

  // The downloads are made from the reading the page holds, the same as the server renders them.
  const downloaded = async (kind: string): Promise<Buffer> => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`[data-download="${kind}"]`)])
    return readFileSync(await download.path())
  }
  t.equal((await downloaded('text')).toString('utf8'), `${shown.text}\n`, 'the text download')
  const served = await fetch(`${server!.url}/ocr?format=hocr`, {
    method: 'POST',
    body: readFileSync(join(notes, '09_sign.png')),
    headers: { 'content-type': 'image/png' },
  })
  t.equal((await downloaded('hocr')).toString('utf8'), await served.text(), 'the hOCR download is what format=hocr answers')
  const picture = await sharp(await downloaded('png')).metadata()
  t.same([picture.format, picture.width, picture.height], ['png', shown.json.image.width, shown.json.image.height], 'the picture download')
  t.same(posts, [`${server!.url}/ocr`], 'the photo was sent once for the reading and every download')

  t.same(problems, [], 'no script errors or refused loads while reading')

  // The writing option asks the server for its capitals model instead of its default.
  posts.length = 0
  await page.click('.options summary')
  await page.selectOption('#model-option', 'cnn')
  await page.setInputFiles('#file-input', join(notes, '05_quote.jpg'))
  t.equal(await settled(page), 'done', 'read again')
  t.same(posts, [`${server!.url}/ocr?model=cnn`], 'with model=cnn')
  const capitals = await shownReading(page)
  t.equal(capitals.json.model.name, 'cnn', 'by the capitals model')
  t.equal(capitals.text, truth['05_quote.jpg'].join('\n'))
  await page.selectOption('#model-option', '')

  // API errors show the problem's title and detail, not a stack or a status code alone.
  // (Chromium logs each 4xx answer as a failed load; those two are expected.)
  problems.length = 0
  await page.setInputFiles('#file-input', { name: 'note.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture') })
  t.equal(await settled(page), 'error')
  t.equal(await page.locator('#problem-title').textContent(), 'Unsupported media type')
  t.match(await page.locator('#problem-detail').textContent(), /\S/, 'with the detail')
  t.ok(await page.locator('#result').isHidden(), 'and no stale reading')
  await page.setInputFiles('#file-input', { name: 'broken.png', mimeType: 'image/png', buffer: Buffer.from('definitely not a png') })
  t.equal(await settled(page), 'error')
  t.equal(await page.locator('#problem-title').textContent(), 'The image cannot be decoded')
  t.match(await page.locator('#problem-hint').textContent(), /another picture/i, 'with advice')
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'ui-error.png') })
  t.same(
    problems.filter((p) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(p)),
    [],
    'no script errors while showing problems',
  )
})

t.test('on a phone: a photo with EXIF orientation fits the screen, boxes on its letters', { skip }, async (t) => {
  // The wifi note stored turned a quarter, with EXIF orientation 6 to show it upright, as phones save photos.
  const upright = readFileSync(join(notes, '10_wifi.jpg'))
  const turned = await sharp(upright).rotate(270).withMetadata({ orientation: 6 }).jpeg({ quality: 92 }).toBuffer()
  const stored = await sharp(turned).metadata()
  t.same([stored.width, stored.height, stored.orientation], [1080, 1920, 6], 'stored portrait, shown landscape')

  const { page, problems } = await openBrowser(t, { viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 })
  await page.goto(`${server!.url}/`)
  t.ok(await page.locator('.camera-button').isVisible(), 'phones get a "Take a photo" button')
  await page.setInputFiles('#camera-input', { name: 'wifi.jpg', mimeType: 'image/jpeg', buffer: turned })
  t.equal(await settled(page), 'done', 'the reading is shown')
  const shown = await shownReading(page)
  t.same(shown.json.image, { width: 1920, height: 1080 }, 'the server read it upright')
  t.equal(shown.text, shown.json.text, 'the text shown is the reading')
  t.ok(shown.text.length > 0)
  checkBoxes(t, shown)
  const natural = await page
    .locator('#photo')
    .evaluate((img) => [(img as HTMLImageElement).naturalWidth, (img as HTMLImageElement).naturalHeight])
  t.same(natural, [1920, 1080], 'the browser shows it upright too')
  const chars = shown.boxes.char
  await checkPlacement(t, page, shown, 0)
  await checkPlacement(t, page, shown, chars - 1)

  const layout = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }))
  t.ok(layout.scrollWidth <= layout.innerWidth, `nothing sticks out sideways (${layout.scrollWidth} ≤ ${layout.innerWidth})`)
  const stage = (await page.locator('#stage').boundingBox())!
  t.ok(stage.x >= 0 && stage.x + stage.width <= PHONE.width, 'the picture fits the screen width')

  // Screenshots of the screen as the phone shows it (a full-page capture drops the touch
  // emulation while it resizes, and with it the camera button): the top, then the reading.
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'ui-phone.png') })
  await page.locator('#stage').scrollIntoViewIfNeeded()
  // A tap on a character shows its tooltip, inside the screen.
  await page.locator(`#boxes .char[data-index="${chars - 1}"]`).tap()
  const tip = (await page.locator('#tooltip').boundingBox())!
  t.ok(tip, 'a tap shows the tooltip')
  t.ok(tip.x >= 0 && tip.x + tip.width <= PHONE.width, 'inside the screen')
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'ui-phone-reading.png') })
  t.same(problems, [], 'no script errors or refused loads')
})
