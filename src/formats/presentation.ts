/**
 * How readings are shown to people, shared by the annotated PNG and the web page (which imports
 * this module from the server): one threshold, one palette. Browser-safe.
 */

/** Characters read with less confidence than this stand out, to be checked by a person. */
export const LOW_CONFIDENCE = 0.6

/** Colours of the boxes: lines, words, characters, and characters read with low confidence. */
export const BOX_COLOURS = { line: '#00a050', word: '#1e64ff', char: '#e0201c', doubtful: '#ff9800' } as const
