import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { buildApp } from '../../src/server/app.js'
import { InProcessService } from '../helpers/in-process-service.js'
import { PUBLIC_DIR } from '../../src/server/routes/ui.js'
import { repoRoot } from '../helpers/data.js'

// The page's routes need no model: nothing here reads an image.
const reading = new InProcessService()
const app = await buildApp({ config: { bodyLimitBytes: 1024 * 1024, trustProxy: false, logLevel: 'silent' }, reading, logger: false })
t.teardown(async () => {
  await app.close()
  await reading.close()
})

t.test("the page's folder is the repository's public/", async (t) => {
  t.equal(PUBLIC_DIR.replace(/\/$/, ''), join(repoRoot, 'public'))
})

t.test('GET / is the page, with a file input for pictures and the phone camera', async (t) => {
  const page = await app.inject('/')
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /^text\/html/)
  t.match(page.headers['content-security-policy'], /default-src 'self'/)
  t.match(page.body, /<input type="file" id="camera-input" accept="image\/\*" capture="environment"\s*\/?>/)
  t.match(page.body, /<input type="file" id="file-input" accept="image\/\*"\s*\/?>/)
  t.match(page.body, /<meta name="viewport" content="width=device-width, initial-scale=1"\s*\/?>/, 'sized for phones')
})

t.test('the script and style sheet are served with their types', async (t) => {
  const script = await app.inject('/app.js')
  t.equal(script.statusCode, 200)
  t.match(script.headers['content-type'], /javascript/)
  const style = await app.inject('/style.css')
  t.equal(style.statusCode, 200)
  t.match(style.headers['content-type'], /^text\/css/)
})

t.test('the page loads nothing from elsewhere (users and CI are often offline)', async (t) => {
  for (const file of readdirSync(join(repoRoot, 'public'))) {
    const text = readFileSync(join(repoRoot, 'public', file), 'utf8')
    t.notMatch(text, /\b(?:src|href)\s*=\s*["']?(?:https?:)?\/\//, `${file} references no other origin`)
    t.notMatch(text, /url\(\s*["']?(?:https?:)?\/\//, `${file} has no remote CSS url()`)
    t.notMatch(text, /\bimport\s*\(?\s*["'](?:https?:)?\/\//, `${file} imports no remote module`)
  }
})

t.test("other paths are still the API's 404 problem", async (t) => {
  for (const url of ['/nowhere', '/public/index.html', '/../package.json', '/%2e%2e/package.json']) {
    const response = await app.inject(url)
    t.equal(response.statusCode, 404, `${url}: 404`)
    t.match(response.headers['content-type'], /^application\/problem\+json/, `${url}: a problem`)
  }
})
