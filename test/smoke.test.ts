import t from 'tap'
import sharp from 'sharp'
t.test('sharp loads', async (t) => {
  const meta = await sharp({ create: { width: 4, height: 3, channels: 3, background: '#fff' } }).png().toBuffer().then((b) => sharp(b).metadata())
  t.equal(meta.width, 4)
})
