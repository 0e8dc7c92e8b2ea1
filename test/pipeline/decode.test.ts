import t from 'tap'
import sharp, { type Sharp } from 'sharp'
import { decodeImage, ImageInputError, isHeic, readImageHeader, toLuma } from '../../src/pipeline/decode.js'
import { whitePng } from '../helpers/png-bomb.js'

const OPTIONS = { maxInputPixels: 10_000_000, workingPixels: 2400, maxUpscale: 2 }

/** A 60 × 40 white image with a black 10 × 10 block in its top-left corner. */
async function cornerBlock(): Promise<Sharp> {
  const block = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#000' } })
    .png()
    .toBuffer()
  return sharp({ create: { width: 60, height: 40, channels: 3, background: '#fff' } }).composite([{ input: block, left: 0, top: 0 }])
}

const valueAt = (gray: { width: number; data: Float32Array }, x: number, y: number): number => gray.data[y * gray.width + x]

t.test('decodes to the working size, keeping the aspect ratio', async (t) => {
  const png = await (await cornerBlock()).png().toBuffer()
  const decoded = await decodeImage(png, OPTIONS)
  t.equal(decoded.originalWidth, 60)
  t.equal(decoded.originalHeight, 40)
  t.equal(decoded.gray.width, 60)
  t.equal(decoded.gray.height, 40)
  t.equal(decoded.format, 'png')
  t.ok(valueAt(decoded.gray, 2, 2) < 0.05, 'the block is black')
  t.ok(valueAt(decoded.gray, 50, 30) > 0.95, 'the page is white')
  const smaller = await decodeImage(png, { ...OPTIONS, workingPixels: 600 })
  t.equal(smaller.gray.width, 30)
  t.equal(smaller.gray.height, 20)
  t.equal(smaller.scale, 0.5)
  const enlarged = await decodeImage(png, { ...OPTIONS, workingPixels: 1_000_000 })
  t.same([enlarged.gray.width, enlarged.gray.height, enlarged.scale], [120, 80, 2], 'a small image is enlarged at most twice')
})

t.test('keeps the colour of the upload at the working size; a grey upload’s is grey', async (t) => {
  const orange = await sharp({ create: { width: 60, height: 40, channels: 3, background: '#c87d3c' } })
    .png()
    .toBuffer()
  const decoded = await decodeImage(orange, OPTIONS)
  if (decoded.colour === undefined) return t.fail('no colour')
  t.same([decoded.colour.width, decoded.colour.height, decoded.colour.channels], [60, 40, 3])
  t.same([...decoded.colour.data.subarray(0, 3)], [0xc8, 0x7d, 0x3c], 'the pixels as they were')
  const grey = await decodeImage(await sharp(orange).toColourspace('b-w').png().toBuffer(), OPTIONS)
  const pixels = grey.colour?.data ?? new Uint8Array(0)
  t.ok(
    pixels.every((v, i) => v === pixels[i - (i % 3)]),
    'red, green and blue alike',
  )
})

t.test('honours EXIF orientation: sizes and boxes are those of the upright picture', async (t) => {
  // Orientation 6 means "rotate 90° clockwise to view": the top-left block ends up top-right.
  const jpeg = await (await cornerBlock()).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer()
  const decoded = await decodeImage(jpeg, OPTIONS)
  t.equal(decoded.originalWidth, 40)
  t.equal(decoded.originalHeight, 60)
  t.ok(valueAt(decoded.gray, 36, 3) < 0.2, 'block at the top right')
  t.ok(valueAt(decoded.gray, 3, 3) > 0.8, 'not at the top left')
})

t.test('flattens transparency onto white paper', async (t) => {
  const ink = await sharp({ create: { width: 8, height: 8, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 1 } } })
    .png()
    .toBuffer()
  const drawing = await sharp({ create: { width: 40, height: 30, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
    .composite([{ input: ink, left: 16, top: 11 }])
    .png()
    .toBuffer()
  const decoded = await decodeImage(drawing, { ...OPTIONS, workingPixels: 1200 })
  t.ok(valueAt(decoded.gray, 2, 2) > 0.95, 'transparent background is white, not black')
  t.ok(valueAt(decoded.gray, 20, 15) < 0.05, 'the ink is black')
})

t.test('refuses bad input with an ImageInputError', async (t) => {
  await t.rejects(decodeImage(new Uint8Array(0), OPTIONS), { name: 'ImageInputError', reason: 'empty' })
  await t.rejects(decodeImage(new TextEncoder().encode('not an image at all'), OPTIONS), { name: 'ImageInputError', reason: 'unreadable' })
  const png = await (await cornerBlock()).png().toBuffer()
  await t.rejects(decodeImage(png, { ...OPTIONS, maxInputPixels: 100 }), { name: 'ImageInputError', reason: 'too-large' })
  const jpeg = await (await cornerBlock()).jpeg().toBuffer()
  await t.rejects(decodeImage(jpeg.subarray(0, jpeg.length >> 1), OPTIONS), ImageInputError, 'a truncated JPEG')
})

t.test('refuses extreme shapes from the header, naming the limit, before decoding a pixel', async (t) => {
  const limits = { maxInputPixels: 50_000_000, maxImageSide: 30_000, maxAspectRatio: 20 }
  // 1 × 50,000,000: exactly at the pixel limit, ~100 KB, and ~24 s of libvips time if decoded.
  await t.rejects(decodeImage(whitePng(1, 50_000_000), { ...OPTIONS, ...limits }), {
    name: 'ImageInputError',
    reason: 'side-too-long',
    message: /30000 pixels/,
  })
  await t.rejects(readImageHeader(whitePng(2100, 100), limits), { reason: 'too-elongated', message: /21:1.*20:1/ })
  await t.rejects(
    readImageHeader(whitePng(100, 2100), limits),
    { name: 'ImageInputError', reason: 'too-elongated' },
    'tall as well as wide',
  )
  const header = await readImageHeader(whitePng(2000, 100), limits)
  t.same([header.width, header.height], [2000, 100], '20:1 is within the limit')
  const decoded = await decodeImage(whitePng(2000, 100), { ...OPTIONS, ...limits })
  t.equal(decoded.originalWidth, 2000)
  await t.resolves(readImageHeader(whitePng(1, 100), { maxInputPixels: 1000 }), 'no shape limit unless one is given')
})

t.test('HEIC/HEIF is recognised by its ftyp brands and refused as unsupported; AVIF is not', async (t) => {
  const ftyp = (major: string, ...compatible: string[]): Uint8Array => {
    const size = 16 + 4 * compatible.length
    const box = Buffer.alloc(size + 8)
    box.writeUInt32BE(size)
    box.write(`ftyp${major}\0\0\0\0${compatible.join('')}`, 4, 'latin1')
    return box
  }
  for (const brand of ['heic', 'heix', 'hevc', 'mif1', 'msf1', 'heif']) t.ok(isHeic(ftyp(brand, 'mif1', 'heic')), `${brand} is HEIF`)
  t.notOk(isHeic(ftyp('avif', 'mif1', 'miaf')), 'AVIF')
  t.notOk(isHeic(ftyp('mif1', 'avif', 'miaf')), 'mif1 with an AVIF brand is AVIF')
  t.notOk(isHeic(ftyp('isom', 'mp41')), 'an MP4 is not HEIC (and fails as unreadable)')
  t.notOk(isHeic(Buffer.from('ftypheic')), 'too short to tell')
  await t.rejects(decodeImage(ftyp('heic', 'mif1', 'heic'), OPTIONS), { reason: 'unsupported-format', message: /HEIC.*JPEG, PNG, WebP/ })
  const avif = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#fff' } })
    .avif()
    .toBuffer()
  t.equal((await decodeImage(avif, OPTIONS)).format, 'heif', 'AVIF is decoded')
})

t.test('luma from grey and colour pixels', async (t) => {
  t.same(Array.from(toLuma(new Uint8Array([0, 255]), 1)), [0, 1])
  t.same(Array.from(toLuma(new Uint8Array([255, 255, 255, 0, 0, 0]), 3)), [1, 0])
  t.equal(toLuma(new Uint8Array([0, 0, 255, 255]), 4)[0], 0.25, 'blue ink is dark; alpha ignored')
})
