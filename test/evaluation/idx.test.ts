import t from 'tap'
import { gzipSync } from 'node:zlib'
import { idxImage, parseIdxImages, parseIdxLabels } from '../../src/evaluation/idx.js'

function idxImagesBytes(count: number, rows: number, columns: number, pixels: number[]): Uint8Array {
  const header = Buffer.alloc(16)
  header.writeUInt32BE(0x803, 0)
  header.writeUInt32BE(count, 4)
  header.writeUInt32BE(rows, 8)
  header.writeUInt32BE(columns, 12)
  return new Uint8Array(Buffer.concat([header, Buffer.from(pixels)]))
}

t.test('reads raw and gzip IDX images and labels', async (t) => {
  const raw = idxImagesBytes(2, 2, 3, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
  for (const bytes of [raw, new Uint8Array(gzipSync(raw))]) {
    const images = parseIdxImages(bytes)
    t.same([images.count, images.rows, images.columns], [2, 2, 3])
    t.same(Array.from(idxImage(images, 1)), [7, 8, 9, 10, 11, 12])
  }
  const labels = Buffer.alloc(10)
  labels.writeUInt32BE(0x801, 0)
  labels.writeUInt32BE(2, 4)
  labels[8] = 65
  labels[9] = 48
  t.same(Array.from(parseIdxLabels(new Uint8Array(gzipSync(labels)))), [65, 48])
})

t.test('refuses wrong magic numbers and truncated files', async (t) => {
  const raw = idxImagesBytes(2, 2, 3, [1, 2, 3])
  t.throws(() => parseIdxImages(raw), /header says 12/)
  t.throws(() => parseIdxLabels(raw), /not an IDX label file/)
  t.throws(() => parseIdxImages(new Uint8Array(3)), /too short/)
})
