import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'
import { fileURLToPath } from 'node:url'

/**
 * The page's folder. Three levels up is the repository root both from `src/server/routes/` (tsx,
 * tests) and from `dist/server/routes/` (the built server).
 */
export const PUBLIC_DIR = fileURLToPath(new URL('../../../public/', import.meta.url))

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
 * files of `public/`). Only those files are routes, so every other path still gets the API's
 * 404 problem.
 */
export default async function uiRoutes(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, {
    root: PUBLIC_DIR,
    prefix: '/',
    // A route per file found at start, instead of a catch-all `/*` that would shadow 404s.
    wildcard: false,
    index: ['index.html'],
    // @fastify/swagger-ui registers its own copy of this plugin; neither needs reply.sendFile.
    decorateReply: false,
    setHeaders: (response) => {
      response.setHeader('content-security-policy', CONTENT_SECURITY_POLICY)
      response.setHeader('x-content-type-options', 'nosniff')
      response.setHeader('referrer-policy', 'no-referrer')
    },
  })
}
