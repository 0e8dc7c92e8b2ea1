import { readFileSync } from 'node:fs'

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }

/** scrawl's version, from package.json (the same from `src/` and from `dist/`). */
export const PACKAGE_VERSION = packageJson.version

/** Engine name and version as documents name it (hOCR `ocr-system`, the OpenAPI document). */
export const ENGINE = `scrawl ${PACKAGE_VERSION}`
