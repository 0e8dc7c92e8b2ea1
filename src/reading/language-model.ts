import { LANGUAGE_MODEL_ALPHABET, type WeightedLine } from './note-text.js'

/**
 * A character n-gram language model of note lines, for a search that reads a line character by
 * character (a Viterbi or beam search over a segmentation lattice): how probable each next
 * character is given the characters before it, so that look-alikes (O/0, I/1, S/5, Z/2, B/8, G/6)
 * are settled by their neighbours — "HELLO" over "HELL0", "NY 10025" over "NY IOO2S".
 *
 * Symbols: the 36 classes of the classifier (A–Z, 0–9), the space between words, and the line's
 * start and end. A line is modelled as start, its characters, end; a history is the text of the
 * line read so far. Log-probabilities are natural logarithms (nats).
 *
 * Smoothing: interpolated Kneser–Ney (Chen & Goodman 1998, §3.6) with one absolute discount D for
 * every order: the highest order (and every n-gram that begins at the line start, which cannot be
 * extended to the left) uses the training counts, each lower order the number of distinct
 * characters seen before it (continuation counts), and the lowest order is interpolated with the
 * uniform distribution over the 38 symbols that can follow, so no character is ever impossible.
 *
 * How a search should use it: see {@link CharLanguageModel}.
 */

/**
 * A search state: the last characters read (at most order − 1 of them; "^" marks the line start),
 * shortened to the longest ending that the training text holds as a context. Two histories with the
 * same state have the same future probabilities, so a dynamic-programming search may merge the
 * paths that reach one lattice node with the same state. A plain string: hashable, small, readable.
 */
export type LanguageModelState = string

/** The line start as it appears in a {@link LanguageModelState}. */
export const LINE_START = '^'

/**
 * A character language model with an incremental API for a search.
 *
 * Combining it with the classifier in a search over a line's segmentation lattice: a path's
 * score is the sum over its characters c (spaces included) of
 *
 *   log P_classifier(c | crop) + λ · log P_LM(c | state) + β
 *
 * plus λ · endLogProb(state) at the line's end, where a space's "classifier" term is the layout's
 * log-odds that the gap is a word gap. Suggested to start with: λ ≈ 0.3, tuned on synthetic pages
 * (never on dev) within about 0.2–0.6. The model is emphatic inside words — log P(O | "HELL")
 * exceeds log P(0 | "HELL") by 13 nats, log P(0 | "NY 1") exceeds log P(O | "NY 1") by 9 —
 * so at λ = 1 it would overrule any glyph; at 0.3 it turns a reading the classifier holds at odds
 * below about e^(0.3 · 9) ≈ 15 : 1, and leaves truly ambiguous strings ("ZOO" / "200", 1–3 nats
 * apart) to the classifier. β is an insertion reward: each character costs on average about 1.8
 * nats of LM log-probability in words and 2.4 in numbers (models/charlm.json has the figures), so a
 * search that also decides how many characters a line holds needs β ≈ λ · 1.8 per character, or
 * it will prefer merging pieces into fewer, wider characters. With `context=false`, λ = 0 and β = 0.
 * A period or other mark outside the alphabet is skipped: the state carries over it.
 */
export interface CharLanguageModel {
  /** The n of the n-grams: each character is predicted from at most order − 1 before it. */
  readonly order: number
  /** Distinct n-grams the model holds, by length (index 0: single characters). */
  readonly ngramCounts: readonly number[]
  /** The state at a line's start, before any character. */
  initialState(): LanguageModelState
  /**
   * Reads one more character.
   *
   * @param state a state from {@link initialState}, {@link advance} or {@link stateOf}
   * @param char one character of {@link LANGUAGE_MODEL_ALPHABET} (upper case or digit or space)
   * @returns the state after it and the log-probability (nats) of `char` following `state`
   * @throws RangeError when `char` is not one character of the alphabet
   */
  advance(state: LanguageModelState, char: string): { readonly state: LanguageModelState; readonly logProb: number }
  /** Log-probability (nats) that the line ends after `state`. */
  endLogProb(state: LanguageModelState): number
  /** The state after reading `history` (the line's text so far) from the line start. */
  stateOf(history: string): LanguageModelState
  /** Log-probability (nats) of `next` after the line's text so far `history`. */
  logProb(history: string, next: string): number
  /** Log-probability (nats) of a whole line: its characters from the line start, then the end. */
  lineLogProb(text: string): number
}

/** The settings a model is built with (the `languageModel` section of the configuration has them). */
export interface LanguageModelOptions {
  /** n of the n-grams, 1 to 5. */
  readonly order: number
  /** Kneser–Ney's absolute discount, in (0, 1). */
  readonly discount: number
}

/** Symbols: alphabet characters 0…36, then the line end (predicted) and the line start (history only). */
const ALPHABET_SIZE = LANGUAGE_MODEL_ALPHABET.length
const END = ALPHABET_SIZE
const START = ALPHABET_SIZE + 1
/** Symbols a history can be followed by: the alphabet and the end. */
const PREDICTED = ALPHABET_SIZE + 1
/** N-grams are keyed as numbers in this base, each digit a symbol + 1, so that lengths do not collide. */
const BASE = 40
/** BASE ** MAX_ORDER must stay below 2³¹, the keys' range in {@link CountTable}. */
const MAX_ORDER = 5
/**
 * Memoised states kept at most (about 300 bytes each); a search of a page touches far fewer, and the
 * memo starts again empty if ever they are exceeded.
 */
const MAX_MEMO_STATES = 50_000
/** States whose log-probabilities share one Float64Array: one allocation per many states, not per state. */
const SLAB_STATES = 1024

/** Symbol of each character code below 128, −1 for characters outside the model. */
const SYMBOL_OF_CODE = new Int8Array(128).fill(-1)
for (const [i, c] of [...LANGUAGE_MODEL_ALPHABET].entries()) SYMBOL_OF_CODE[c.charCodeAt(0)] = i
SYMBOL_OF_CODE[LINE_START.charCodeAt(0)] = START

/**
 * Counts by n-gram key: open addressing with linear probing over one Int32Array of (key + 1, count)
 * pairs, 0 marking an empty slot. A JavaScript Map of numbers is several times slower to fill, and
 * filling is most of the time a model takes to build.
 */
class CountTable {
  #slots: Int32Array
  #mask: number
  size = 0

  constructor(initialBits = 12) {
    this.#slots = new Int32Array(2 << initialBits)
    this.#mask = (1 << initialBits) - 1
  }

  #find(key: number): number {
    const stored = key + 1
    let i = (Math.imul(stored, 0x9e3779b1) >>> 7) & this.#mask
    for (;;) {
      const found = this.#slots[2 * i]
      if (found === stored || found === 0) return i
      i = (i + 1) & this.#mask
    }
  }

  get(key: number): number {
    return this.#slots[2 * this.#find(key) + 1]
  }

  add(key: number, amount: number): void {
    const i = this.#find(key)
    if (this.#slots[2 * i] === 0) {
      this.#slots[2 * i] = key + 1
      this.size++
    }
    this.#slots[2 * i + 1] += amount
    if (this.size * 2 > this.#mask) this.#grow()
  }

  /** Calls `visit` with every key and its count, in no particular order. */
  forEach(visit: (key: number, count: number) => void): void {
    const slots = this.#slots
    for (let i = 0; i < slots.length; i += 2) if (slots[i] !== 0) visit(slots[i] - 1, slots[i + 1])
  }

  #grow(): void {
    const old = this.#slots
    this.#slots = new Int32Array(old.length * 2)
    this.#mask = this.#mask * 2 + 1
    for (let i = 0; i < old.length; i += 2) {
      if (old[i] === 0) continue
      const j = this.#find(old[i] - 1)
      this.#slots[2 * j] = old[i]
      this.#slots[2 * j + 1] = old[i + 1]
    }
  }
}

/**
 * Per state: where its next symbols' log-probabilities lie (PREDICTED numbers from `offset` in
 * `slab`), and the states they lead to, filled in as they are asked for.
 */
interface StateRecord {
  readonly slab: Float64Array
  readonly offset: number
  next: (LanguageModelState | undefined)[] | undefined
}

/**
 * The counts a model is made of, per n-gram length (index 0: single symbols), keys ascending.
 * A key writes the n-gram's symbols (alphabet index, then end, then start) + 1 as digits in base
 * 40, oldest first; its count is the training count for the longest n-grams and those from the line
 * start, the number of distinct symbols seen before it for the others (Kneser–Ney's continuation
 * counts). Whatever the discount, these are the model; they are what `models/charlm.counts.gz` holds.
 */
export interface NGramCounts {
  readonly order: number
  readonly levels: readonly { readonly keys: Int32Array; readonly counts: Int32Array }[]
}

/**
 * Counts the n-grams of weighted lines for Kneser–Ney smoothing.
 *
 * @param lines training lines: characters of {@link LANGUAGE_MODEL_ALPHABET} only, each with a whole positive weight
 * @param order n of the n-grams, 1 to 5
 * @throws RangeError for a character outside the alphabet, a weight that is not a whole positive number, or an order out of range
 */
export function countNGrams(lines: Iterable<WeightedLine>, order: number): NGramCounts {
  if (!Number.isInteger(order) || order < 1 || order > MAX_ORDER) throw new RangeError(`order must be 1–${MAX_ORDER}, not ${order}`)
  const tables = Array.from({ length: order + 1 }, () => new CountTable())
  const windowBase = BASE ** (order - 1)
  for (const { text, weight } of lines) {
    if (!Number.isInteger(weight) || weight < 1) throw new RangeError(`a line's weight must be a whole number ≥ 1, not ${weight}`)
    // The key of the window of at most `order` symbols ending at each symbol, rolled along the line.
    let key = START + 1
    let length = 1
    for (let j = 0; j <= text.length; j++) {
      const symbol = j < text.length ? symbolOf(text[j]) : END
      if (length === order) key %= windowBase
      else length++
      key = key * BASE + symbol + 1
      tables[length].add(key, weight)
    }
  }
  // Each distinct n-gram is one left extension of the (n−1)-gram it ends with.
  for (let length = order; length >= 2; length--) {
    const lower = tables[length - 1]
    const suffixBase = BASE ** (length - 1)
    tables[length].forEach((key) => lower.add(key % suffixBase, 1))
  }
  const levels = tables.slice(1).map((table) => {
    const keys = new Int32Array(table.size)
    let i = 0
    table.forEach((key) => (keys[i++] = key))
    keys.sort()
    const counts = keys.map((key) => table.get(key))
    return { keys, counts }
  })
  return { order, levels }
}

/** Index of the first key ≥ `key` in ascending `keys`. */
function lowerBound(keys: Int32Array, key: number): number {
  let low = 0,
    high = keys.length
  while (low < high) {
    const mid = (low + high) >>> 1
    if (keys[mid] < key) low = mid + 1
    else high = mid
  }
  return low
}

/**
 * A model from n-gram counts, smoothed by interpolated Kneser–Ney with `discount`.
 *
 * @param discount Kneser–Ney's absolute discount, in (0, 1)
 * @throws RangeError for a discount out of range
 */
export function createCharLanguageModel(ngrams: NGramCounts, discount: number): CharLanguageModel {
  if (!(discount > 0 && discount < 1)) throw new RangeError(`discount must be in (0, 1), not ${discount}`)
  const { order, levels } = ngrams
  const records = new Map<LanguageModelState, StateRecord>()
  const keyOf = (state: string): number => {
    let key = 0
    for (let i = 0; i < state.length; i++) key = key * BASE + symbolOf(state[i]) + 1
    return key
  }
  // A history is a context when it occurs in the training text: every occurrence is followed by a
  // character or the end. The line start alone is one in any model with a line.
  const isContext = (history: string): boolean => {
    if (history === LINE_START) return levels[0].keys.length > 0
    const { keys } = levels[history.length - 1]
    const key = keyOf(history)
    return keys[lowerBound(keys, key)] === key
  }
  /** The longest ending of `history` (the line start included) that is a context of the model. */
  const reduce = (history: string): LanguageModelState => {
    for (let length = Math.min(order - 1, history.length); length > 0; length--) {
      const ending = history.slice(history.length - length)
      if (isContext(ending)) return ending
    }
    return ''
  }
  const followerCounts = new Float64Array(PREDICTED)
  let slab = new Float64Array(0)
  let slabUsed = 0
  const record = (state: LanguageModelState): StateRecord => {
    let found = records.get(state)
    if (found) return found
    if (state.length >= order) return record(reduce(state))
    if (records.size >= MAX_MEMO_STATES) records.clear()
    const shorter = state.length === 0 ? undefined : record(state.slice(1))
    // Interpolate this state's own counts with the distribution of its shorter ending (uniform
    // below the single characters); a context never seen leaves that distribution as it is. The
    // n-grams continuing a context are consecutive keys: context × 40 + 1 … context × 40 + 38.
    const { keys, counts } = levels[state.length]
    const first = keyOf(state) * BASE + 1
    followerCounts.fill(0)
    let total = 0,
      followers = 0
    for (let i = lowerBound(keys, first); i < keys.length && keys[i] < first + PREDICTED; i++) {
      followerCounts[keys[i] - first] = counts[i]
      total += counts[i]
      followers++
    }
    const backoff = total > 0 ? (discount * followers) / total : 1
    if (slabUsed === slab.length) {
      slab = new Float64Array(SLAB_STATES * PREDICTED)
      slabUsed = 0
    }
    found = { slab, offset: slabUsed, next: undefined }
    slabUsed += PREDICTED
    for (let w = 0; w < PREDICTED; w++) {
      const lower = shorter === undefined ? 1 / PREDICTED : Math.exp(shorter.slab[shorter.offset + w])
      const own = total > 0 ? Math.max(followerCounts[w] - discount, 0) / total : 0
      found.slab[found.offset + w] = Math.log(own + backoff * lower)
    }
    records.set(state, found)
    return found
  }

  const model: CharLanguageModel = {
    order,
    ngramCounts: levels.map((level) => level.keys.length),
    initialState: () => reduce(LINE_START),
    advance(state, char) {
      const symbol = char.length === 1 ? symbolOf(char) : -1
      if (symbol < 0 || symbol >= ALPHABET_SIZE) throw new RangeError(`not a character of the language model: ${JSON.stringify(char)}`)
      const current = record(state)
      current.next ??= new Array<LanguageModelState | undefined>(PREDICTED)
      const next = (current.next[symbol] ??= reduce(state + char))
      return { state: next, logProb: current.slab[current.offset + symbol] }
    },
    endLogProb(state) {
      const current = record(state)
      return current.slab[current.offset + END]
    },
    stateOf(history) {
      let state = model.initialState()
      for (const c of history) state = model.advance(state, c).state
      return state
    },
    logProb: (history, next) => model.advance(model.stateOf(history), next).logProb,
    lineLogProb(text) {
      let state = model.initialState(),
        sum = 0
      for (const c of text) {
        const step = model.advance(state, c)
        sum += step.logProb
        state = step.state
      }
      return sum + model.endLogProb(state)
    },
  }
  return model
}

/** {@link countNGrams} then {@link createCharLanguageModel}: a model straight from training lines. */
export function buildCharLanguageModel(lines: Iterable<WeightedLine>, options: LanguageModelOptions): CharLanguageModel {
  return createCharLanguageModel(countNGrams(lines, options.order), options.discount)
}

/** The symbol of one character; throws RangeError for a character outside the model. */
function symbolOf(char: string): number {
  const code = char.charCodeAt(0)
  const symbol = code < 128 ? SYMBOL_OF_CODE[code] : -1
  if (symbol < 0) throw new RangeError(`not a character of the language model: ${JSON.stringify(char)}`)
  return symbol
}
