// The scrawl web page: send a picture to POST /ocr on this server, then show the picture with the
// line, word and character boxes over it, the text, and the JSON. Plain JS, no build step, nothing
// loaded from elsewhere: many users (and the test machine) are offline. Each picture is sent once:
// the downloads (text, hOCR, the picture with boxes) are made here from the JSON, with the same
// modules the server renders them with (served from /lib/formats/), and the server's defaults
// (alternatives per character, ...) apply because the page does not restate them.

import { annotationSvg } from '/lib/formats/annotation.js'
import { toHocr } from '/lib/formats/hocr.js'
import { LOW_CONFIDENCE } from '/lib/formats/presentation.js'
import { toPlainText } from '/lib/formats/text.js'
/** Give up waiting for an answer after this long; the server's own limit is shorter. */
const REQUEST_TIMEOUT_MS = 120_000
/** How long "Copied" shows on a copy button. */
const COPIED_FEEDBACK_MS = 1500
/** The pictures' largest share of the window height, so a tall photo still fits on screen. */
const STAGE_MAX_VIEWPORT_HEIGHT = 0.72
/** Gap between a character box and its tooltip, in CSS pixels. */
const TOOLTIP_GAP_PX = 8

/** Advice per HTTP status, added under the server's own words. */
const STATUS_HINTS = {
  400: 'Try another picture: a sharp, well-lit photo of the note, taken straight on.',
  413: 'The picture is too large. Try a smaller photo, or a lower camera resolution.',
  415: 'Send a picture: JPEG, PNG, WebP, TIFF or GIF.',
  503: 'The server is busy right now.',
}

const $ = (id) => document.getElementById(id)
const ui = {
  dropZone: $('drop-zone'),
  fileInput: $('file-input'),
  cameraInput: $('camera-input'),
  contextOption: $('context-option'),
  modelOption: $('model-option'),
  status: $('status'),
  statusText: $('status-text'),
  progress: $('progress'),
  problem: $('problem'),
  problemTitle: $('problem-title'),
  problemDetail: $('problem-detail'),
  problemHint: $('problem-hint'),
  result: $('result'),
  stage: $('stage'),
  photo: $('photo'),
  boxes: $('boxes'),
  pictureNote: $('picture-note'),
  text: $('text'),
  emptyReading: $('empty-reading'),
  summary: $('summary'),
  json: $('json'),
  copyText: $('copy-text'),
  copyJson: $('copy-json'),
  tooltip: $('tooltip'),
}

/** The picture being read or shown, its object URL, its reading, and the request in flight. */
const current = { file: null, url: null, result: null, request: null }

/** A failed request, with the server's problem details when it sent them. */
class RequestProblem extends Error {
  constructor(title, detail, status, retryAfter) {
    super(detail)
    this.title = title
    this.detail = detail
    this.status = status
    this.retryAfter = retryAfter
  }
}

// ---- sending ------------------------------------------------------------------------------------

/**
 * POSTs the file to /ocr as the raw body. XMLHttpRequest, not fetch, because only it reports
 * upload progress.
 *
 * @param {File} file
 * @param {Record<string, string>} query
 * @param {'text' | 'blob'} responseType
 * @param {(phase: 'uploading' | 'reading', fraction?: number) => void} onProgress
 * @returns {Promise<string | Blob>} the body of a 2xx answer; rejects with a RequestProblem
 */
function postImage(file, query, responseType, onProgress) {
  const request = new XMLHttpRequest()
  const promise = new Promise((resolve, reject) => {
    const search = new URLSearchParams(query).toString()
    request.open('POST', search === '' ? '/ocr' : `/ocr?${search}`)
    request.setRequestHeader('Content-Type', file.type || 'application/octet-stream')
    request.responseType = responseType
    request.timeout = REQUEST_TIMEOUT_MS
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress('uploading', event.loaded / event.total)
    })
    request.upload.addEventListener('load', () => onProgress('reading'))
    request.addEventListener('load', () => {
      if (request.status >= 200 && request.status < 300) resolve(request.response)
      else problemFromResponse(request).then(reject, reject)
    })
    request.addEventListener('error', () =>
      reject(
        new RequestProblem(
          'The server cannot be reached',
          'The picture could not be sent. Check that the scrawl server is running and that this device can reach it.',
          0,
        ),
      ),
    )
    request.addEventListener('timeout', () =>
      reject(new RequestProblem('No answer in time', `The server did not answer within ${REQUEST_TIMEOUT_MS / 1000} seconds.`, 0)),
    )
    request.addEventListener('abort', () => reject(new DOMException('replaced by a newer request', 'AbortError')))
    onProgress('uploading', 0)
    request.send(file)
  })
  return { request, promise }
}

/** Turns an error answer into a RequestProblem, using its problem+json `title` and `detail` when present. */
async function problemFromResponse(request) {
  const body = request.response instanceof Blob ? await request.response.text() : String(request.response ?? '')
  const retryAfter = Number(request.getResponseHeader('Retry-After')) || undefined
  try {
    const problem = JSON.parse(body)
    if (problem && typeof problem.title === 'string') {
      return new RequestProblem(problem.title, typeof problem.detail === 'string' ? problem.detail : '', request.status, retryAfter)
    }
  } catch {
    // Not JSON (a proxy's error page, say): fall through to the status line.
  }
  return new RequestProblem(
    'The server could not read this picture',
    `It answered ${request.status} ${request.statusText}.`.trim(),
    request.status,
    retryAfter,
  )
}

/** The query the options ask for. */
function readingQuery() {
  const query = {}
  if (!ui.contextOption.checked) query.context = 'false'
  // Empty: the server's default model.
  if (ui.modelOption.value) query.model = ui.modelOption.value
  return query
}

// ---- the flow -----------------------------------------------------------------------------------

/** Reads a picture the user gave: shows it at once, sends it, then shows the reading or the problem. */
async function readFile(file) {
  if (!file) return
  current.request?.abort()
  if (current.url) URL.revokeObjectURL(current.url)
  current.file = file
  current.url = URL.createObjectURL(file)
  current.result = null
  hideProblem()
  hideTooltip()
  clearReading()
  showPicture(current.url)
  ui.result.hidden = false
  const started = performance.now()
  const { request, promise } = postImage(file, readingQuery(), 'text', showProgress)
  current.request = request
  try {
    const body = await promise
    const result = JSON.parse(body)
    current.result = result
    showReading(result, (performance.now() - started) / 1000)
  } catch (error) {
    if (error.name === 'AbortError') return
    ui.result.hidden = true
    showProblem(error)
  } finally {
    if (current.request === request) current.request = null
  }
}

function showProgress(phase, fraction) {
  document.body.dataset.state = phase
  ui.status.hidden = false
  if (phase === 'uploading') {
    ui.statusText.textContent = `Sending the picture… ${Math.round((fraction ?? 0) * 100)}%`
    ui.progress.value = fraction ?? 0
  } else {
    ui.statusText.textContent = 'Reading the note…'
    ui.progress.removeAttribute('value') // an indeterminate bar: the server does not report progress
  }
}

function hideStatus() {
  ui.status.hidden = true
}

// ---- showing the reading ------------------------------------------------------------------------

/** Shows the picture; boxes follow once the reading arrives. */
function showPicture(url) {
  ui.photo.hidden = false
  ui.stage.classList.remove('no-picture')
  ui.pictureNote.textContent = 'Point at or tap a character to see how it was read.'
  ui.photo.onload = () => {
    fitStage(ui.photo.naturalWidth, ui.photo.naturalHeight)
    if (current.result) checkOrientation(current.result)
  }
  ui.photo.onerror = () => {
    // Browsers show no TIFF, for one; the boxes still go on a blank page of the picture's shape.
    ui.photo.hidden = true
    ui.stage.classList.add('no-picture')
    ui.pictureNote.textContent = 'This browser cannot show this kind of picture, so the boxes are drawn on a blank page.'
    if (current.result) fitStage(current.result.image.width, current.result.image.height)
  }
  ui.photo.src = url
}

/**
 * Sizes the stage to the picture's shape, as wide as the column allows and no taller than most of
 * the window. The browser has applied EXIF orientation to the <img> (image-orientation:
 * from-image), so its natural size is the oriented picture's, the pixels the boxes are in.
 */
function fitStage(width, height) {
  if (!width || !height) return
  ui.stage.style.setProperty('--picture-width', String(width))
  ui.stage.style.setProperty('--picture-height', String(height))
  ui.stage.style.setProperty('--stage-max-height', `${STAGE_MAX_VIEWPORT_HEIGHT * 100}vh`)
}

function clearReading() {
  ui.boxes.replaceChildren()
  ui.text.replaceChildren()
  ui.json.textContent = ''
  ui.summary.textContent = ''
  ui.emptyReading.hidden = true
}

/** Every character of a reading in reading order, with its line and word. */
function charsOf(result) {
  return result.lines.flatMap((line, l) => line.words.flatMap((word, w) => word.chars.map((char) => ({ char, l, w }))))
}

function showReading(result, seconds) {
  hideStatus()
  document.body.dataset.state = 'done'
  // Until the picture has loaded (or when it cannot be shown), the reading gives the shape.
  if (ui.photo.hidden || ui.photo.naturalWidth === 0) fitStage(result.image.width, result.image.height)
  else checkOrientation(result)
  drawBoxes(result)
  writeText(result)
  ui.json.textContent = JSON.stringify(result, null, 2)
  const chars = charsOf(result)
  const unsure = chars.filter(({ char }) => char.confidence < LOW_CONFIDENCE).length
  const words = result.lines.reduce((n, line) => n + line.words.length, 0)
  ui.summary.textContent =
    `${plural(chars.length, 'character')}, ${plural(words, 'word')}, ${plural(result.lines.length, 'line')}` +
    `${unsure > 0 ? ` (${unsure} unsure)` : ''}, read in ${seconds.toFixed(1)} s by the ${result.model.name} model.`
  ui.emptyReading.hidden = result.lines.length > 0
}

/** A browser that ignores EXIF orientation shows the picture turned; say so rather than mislead. */
function checkOrientation(result) {
  if (!sameShape(ui.photo.naturalWidth, ui.photo.naturalHeight, result.image.width, result.image.height)) {
    ui.pictureNote.textContent = 'This browser shows the picture turned, so the boxes may not sit on the letters.'
  }
}

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`
const sameShape = (w1, h1, w2, h2) => Math.abs(w1 / h1 - w2 / h2) < 0.02 * (w2 / h2)

/**
 * Draws the boxes as elements positioned in percent of the picture, so they follow the picture
 * however it is scaled, with no redraw on resize.
 */
function drawBoxes(result) {
  const { width, height } = result.image
  const place = (element, box) => {
    element.style.left = `${(box.x / width) * 100}%`
    element.style.top = `${(box.y / height) * 100}%`
    element.style.width = `${(box.width / width) * 100}%`
    element.style.height = `${(box.height / height) * 100}%`
    return element
  }
  const fragment = document.createDocumentFragment()
  let index = 0
  for (const line of result.lines) {
    fragment.append(place(boxElement('line'), line.box))
    for (const word of line.words) {
      fragment.append(place(boxElement('word'), word.box))
      for (const char of word.chars) {
        const element = place(boxElement('char'), char.box)
        element.dataset.index = String(index++)
        element.tabIndex = 0
        element.setAttribute('aria-label', describeChar(char))
        if (char.confidence < LOW_CONFIDENCE) element.classList.add('doubtful')
        fragment.append(element)
      }
    }
  }
  ui.boxes.replaceChildren(fragment)
}

function boxElement(kind) {
  const element = document.createElement('div')
  element.className = `box ${kind}`
  return element
}

/** The text, each character its own span (unsure ones marked), so that it matches the boxes. */
function writeText(result) {
  const fragment = document.createDocumentFragment()
  let index = 0
  result.lines.forEach((line, l) => {
    if (l > 0) fragment.append('\n')
    line.words.forEach((word, w) => {
      if (w > 0) fragment.append(' ')
      for (const char of word.chars) {
        const span = document.createElement(char.confidence < LOW_CONFIDENCE ? 'mark' : 'span')
        span.textContent = char.text
        span.dataset.index = String(index++)
        span.className = 'reading-char'
        fragment.append(span)
      }
    })
  })
  ui.text.replaceChildren(fragment)
}

const percent = (confidence) => `${Math.round(confidence * 100)}%`

function describeChar(char) {
  return `Read “${char.text}”, ${percent(char.confidence)} sure`
}

// ---- the tooltip --------------------------------------------------------------------------------

/** Shows how a character was read next to its box: reading, confidence, the classifier's alternatives. */
function showTooltip(index) {
  const entry = current.result && charsOf(current.result)[index]
  const box = ui.boxes.querySelector(`.char[data-index="${index}"]`)
  if (!entry || !box) return
  const { char } = entry
  const tip = ui.tooltip
  tip.replaceChildren()
  const head = document.createElement('p')
  head.className = 'tooltip-head'
  const reading = document.createElement('span')
  reading.className = 'tooltip-reading'
  reading.textContent = char.text
  head.append(reading, ` ${percent(char.confidence)} sure`)
  tip.append(head)
  if (char.confidence < LOW_CONFIDENCE) tip.append(paragraph('Unsure: check this one.', 'tooltip-warning'))
  if (char.alternatives.length > 0) {
    tip.append(paragraph(`Could also be: ${char.alternatives.map((a) => `${a.text} ${percent(a.confidence)}`).join(' · ')}`))
    if (char.alternatives[0].text !== char.text) {
      tip.append(paragraph(`Its word changed the first guess “${char.alternatives[0].text}” to “${char.text}”.`))
    }
  } else {
    tip.append(paragraph('Found by its shape and place, not read by the model.'))
  }
  for (const element of document.querySelectorAll('.active')) element.classList.remove('active')
  for (const element of document.querySelectorAll(`[data-index="${index}"]`)) element.classList.add('active')
  tip.hidden = false
  placeTooltip(box.getBoundingClientRect())
}

function paragraph(text, className) {
  const p = document.createElement('p')
  p.textContent = text
  if (className) p.className = className
  return p
}

/** Above the box when there is room, else below; always inside the window (phones are narrow). */
function placeTooltip(anchor) {
  const tip = ui.tooltip
  const { width, height } = tip.getBoundingClientRect()
  const left = Math.min(Math.max(TOOLTIP_GAP_PX, anchor.left + anchor.width / 2 - width / 2), window.innerWidth - width - TOOLTIP_GAP_PX)
  const above = anchor.top - height - TOOLTIP_GAP_PX
  const top = above >= TOOLTIP_GAP_PX ? above : anchor.bottom + TOOLTIP_GAP_PX
  tip.style.left = `${left}px`
  tip.style.top = `${top}px`
}

function hideTooltip() {
  ui.tooltip.hidden = true
  for (const element of document.querySelectorAll('.active')) element.classList.remove('active')
}

function indexOfTarget(event) {
  const element = event.target instanceof Element ? event.target.closest('[data-index]') : null
  return element ? Number(element.dataset.index) : undefined
}

for (const container of [ui.boxes, ui.text]) {
  container.addEventListener('pointerover', (event) => {
    const index = indexOfTarget(event)
    if (index !== undefined) showTooltip(index)
    else hideTooltip()
  })
  container.addEventListener('pointerleave', hideTooltip)
  container.addEventListener('focusin', (event) => {
    const index = indexOfTarget(event)
    if (index !== undefined) showTooltip(index)
  })
  container.addEventListener('focusout', hideTooltip)
}
window.addEventListener('scroll', hideTooltip, { passive: true })
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') hideTooltip()
})

// ---- problems -----------------------------------------------------------------------------------

function showProblem(error) {
  hideStatus()
  document.body.dataset.state = 'error'
  const known = error instanceof RequestProblem
  ui.problemTitle.textContent = known ? error.title : 'Something went wrong'
  ui.problemDetail.textContent = known ? error.detail : String(error?.message ?? error)
  let hint = known ? (STATUS_HINTS[error.status] ?? '') : ''
  if (known && error.status === 503 && error.retryAfter) hint += ` Try again in ${plural(error.retryAfter, 'second')}.`
  ui.problemHint.textContent = hint
  ui.problemHint.hidden = hint === ''
  ui.problem.hidden = false
}

function hideProblem() {
  ui.problem.hidden = true
}

// ---- copying and downloading --------------------------------------------------------------------

/** Copies text; the Clipboard API exists only on https and localhost, so plain-http LAN servers use the old way. */
async function copy(text, button) {
  try {
    if (navigator.clipboard && window.isSecureContext) await navigator.clipboard.writeText(text)
    else copyWithSelection(text)
    flash(button, 'Copied')
  } catch {
    flash(button, 'Copy failed: select and copy by hand')
  }
}

function copyWithSelection(text) {
  const area = document.createElement('textarea')
  area.value = text
  area.setAttribute('readonly', '')
  area.className = 'offscreen'
  document.body.append(area)
  area.select()
  const copied = document.execCommand('copy')
  area.remove()
  if (!copied) throw new Error('copy refused')
}

function flash(button, message) {
  const label = button.dataset.label ?? button.textContent
  button.dataset.label = label
  button.textContent = message
  setTimeout(() => {
    button.textContent = label
  }, COPIED_FEEDBACK_MS)
}

ui.copyText.addEventListener('click', () => {
  if (current.result) copy(current.result.text, ui.copyText)
})
ui.copyJson.addEventListener('click', () => {
  if (current.result) copy(ui.json.textContent, ui.copyJson)
})

/** File names and how to make each download from the reading the page holds; the photo is not sent again. */
const DOWNLOADS = {
  text: { extension: 'txt', make: async () => new Blob([toPlainText(current.result)], { type: 'text/plain' }) },
  hocr: {
    extension: 'hocr',
    make: async () => new Blob([toHocr(current.result, { system: await engineName() })], { type: 'text/vnd.hocr+html' }),
  },
  png: { extension: 'png', make: () => annotatedPicture(current.result) },
}

/** The engine's name and version for the hOCR header, as the server's OpenAPI document gives it. */
async function engineName() {
  const response = await fetch('/openapi.json')
  const document = response.ok ? await response.json() : undefined
  return `scrawl ${document?.info?.version ?? ''}`.trim()
}

/** The picture with the reading's boxes drawn over it, as the server's `format=png` draws them. */
async function annotatedPicture(result) {
  const { width, height } = result.image
  const canvas = document.createElement('canvas')
  canvas.width = width
  canvas.height = height
  const context = canvas.getContext('2d')
  context.fillStyle = '#ffffff'
  context.fillRect(0, 0, width, height)
  if (!ui.photo.hidden && ui.photo.naturalWidth > 0) context.drawImage(ui.photo, 0, 0, width, height)
  const overlay = URL.createObjectURL(new Blob([annotationSvg(result.lines, width, height)], { type: 'image/svg+xml' }))
  try {
    const boxes = new Image()
    boxes.src = overlay
    await boxes.decode()
    context.drawImage(boxes, 0, 0, width, height)
  } finally {
    URL.revokeObjectURL(overlay)
  }
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the picture could not be drawn'))), 'image/png'),
  )
}

for (const button of document.querySelectorAll('[data-download]')) {
  button.addEventListener('click', async () => {
    if (!current.result || !current.file) return
    const download = DOWNLOADS[button.dataset.download]
    try {
      hideProblem()
      const blob = await download.make()
      const link = document.createElement('a')
      link.href = URL.createObjectURL(blob)
      link.download = `${baseName(current.file.name)}.${download.extension}`
      link.click()
      setTimeout(() => URL.revokeObjectURL(link.href), 0)
    } catch (error) {
      showProblem(error)
    }
  })
}

const baseName = (name) => (name || 'note').replace(/\.[^.]*$/, '') || 'note'

// ---- layers, options, picking, dropping, pasting --------------------------------------------------

for (const toggle of document.querySelectorAll('[data-layer]')) {
  toggle.addEventListener('change', () => ui.boxes.classList.toggle(`hide-${toggle.dataset.layer}`, !toggle.checked))
}

ui.contextOption.addEventListener('change', () => {
  if (current.file) readFile(current.file)
})

for (const input of [ui.fileInput, ui.cameraInput]) {
  input.addEventListener('change', () => {
    readFile(input.files?.[0])
    input.value = '' // picking the same file again should read it again
  })
}

// Drop anywhere on the page: a missed drop zone should not make the browser navigate to the file.
let dragDepth = 0
document.addEventListener('dragenter', (event) => {
  if (!event.dataTransfer?.types.includes('Files')) return
  dragDepth++
  ui.dropZone.classList.add('dragging')
})
document.addEventListener('dragleave', () => {
  dragDepth = Math.max(0, dragDepth - 1)
  if (dragDepth === 0) ui.dropZone.classList.remove('dragging')
})
document.addEventListener('dragover', (event) => {
  event.preventDefault()
  if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy'
})
document.addEventListener('drop', (event) => {
  event.preventDefault()
  dragDepth = 0
  ui.dropZone.classList.remove('dragging')
  readFile(event.dataTransfer?.files?.[0])
})

document.addEventListener('paste', (event) => {
  const file = [...(event.clipboardData?.files ?? [])].find((f) => f.type.startsWith('image/'))
  if (file) readFile(file)
})

$('low-confidence-percent').textContent = String(Math.round(LOW_CONFIDENCE * 100))
