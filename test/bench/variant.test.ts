import t from 'tap'
import { withVariant } from '../../bench/lib/variant.js'
import { PIPELINE_CONFIG } from '../../src/pipeline/config.js'

t.test('a variant replaces the values it names and keeps the rest', async (t) => {
  const changed = withVariant(PIPELINE_CONFIG, { search: { lmWeight: 0 }, context: { lmWeight: 0.5 } })
  t.equal(changed.search.lmWeight, 0)
  t.equal(changed.context.lmWeight, 0.5)
  t.equal(changed.search.beamWidth, PIPELINE_CONFIG.search.beamWidth)
  t.equal(changed.words, PIPELINE_CONFIG.words, 'untouched sections are the same objects')
  t.not(PIPELINE_CONFIG.search.lmWeight, 0, 'the configuration itself is unchanged')
})

t.test('a key the configuration does not have is refused', async (t) => {
  t.throws(() => withVariant(PIPELINE_CONFIG, { search: { lmWieght: 0 } }), /no search\.lmWieght/)
  t.throws(() => withVariant(PIPELINE_CONFIG, { serch: {} }), /no serch/)
})
