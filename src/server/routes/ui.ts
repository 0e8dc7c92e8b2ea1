import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'
import { fileURLToPath } from 'node:url'

/**
 * The page's folder. Three levels up is the repository root both from `src/server/routes/` (tsx,
 * tests) and from `dist/server/routes/` (the built server).
 */
export const PUBLIC_DIR = fileURLToPath(new URL('../../../public/', import.meta.url))

/** The compiled formats (three levels up is the repository root from `src/` and from `dist/`). */
const FORMATS_DIR = fileURLToPath(new URL('../../../dist/formats/', import.meta.url))
/**
 * The modules of `src/formats/` that run in a browser too: the page renders its text, hOCR and
 * picture downloads with the same code the server uses, from the JSON it already holds.
 */
export const BROWSER_MODULES = ['annotation.js', 'hocr.js', 'presentation.js', 'text.js', 'xml.js'] as const
/** Where the page imports them from. */
export const BROWSER_MODULES_PREFIX = '/lib/formats/'

/**
 * The page only talks to its own origin and loads nothing from elsewhere (users are often
 * offline); the uploaded photo is shown from a `blob:` URL.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' blob: data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

/**
 * `GET /`: the web page for trying scrawl from a browser, with its script and style sheet (the
 * files of `public/`) and the browser-safe format modules it imports ({@link BROWSER_MODULES}).
 * Only those files are routes, so every other path still gets the API's 404 problem.
 */
export default async function uiRoutes(app: FastifyInstance): Promise<void> {
  const common = {
    // A route per file found at start, instead of a catch-all `/*` that would shadow 404s.
    wildcard: false,
    // @fastify/swagger-ui registers its own copy of this plugin; neither needs reply.sendFile.
    decorateReply: false,
    setHeaders: (response: { setHeader(name: string, value: string): unknown }) => {
      response.setHeader('content-security-policy', CONTENT_SECURITY_POLICY)
      response.setHeader('x-content-type-options', 'nosniff')
      response.setHeader('referrer-policy', 'no-referrer')
    },
  }
  await app.register(fastifyStatic, { ...common, root: PUBLIC_DIR, prefix: '/', index: ['index.html'] })
  await app.register(fastifyStatic, {
    ...common,
    root: FORMATS_DIR,
    prefix: BROWSER_MODULES_PREFIX,
    allowedPath: (path) => (BROWSER_MODULES as readonly string[]).includes(path.replace(/^\//, '')),
  })
}
