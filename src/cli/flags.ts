/**
 * The command-line flags every `scrawl` command that reads takes, for `node:util` `parseArgs`:
 * the read options (their values are checked by the options declaration) and help.
 */
export const READING_FLAGS = {
  format: { type: 'string' },
  model: { type: 'string' },
  alternatives: { type: 'string' },
  'no-context': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const
