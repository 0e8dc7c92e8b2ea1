/**
 * How often each punctuation mark and symbol the mixed-case models read stands in English text:
 * the language model's cost for a mark it does not hold. A flat cost made a "+" as likely as a
 * period, so a handwritten t with a long cross bar was read "+" ("+o", "++lreads"); in text a
 * period is about 400 times as frequent as a plus sign.
 *
 * Occurrences per 1,000 running words:
 * - `. , ; : ! ? ' " -`: Vivian Cook's counts over a 459,000-word corpus of novels, newspapers, a
 *   report and academic papers ("Frequencies for English Punctuation Marks", viviancook.uk; Cook 2013,
 *   "Standard punctuation and the punctuation of the street");
 * - `( ) / & + @ *`: the Leipzig Corpora Collection's English special-character counts, scaled to
 *   Cook's by the full stop (Leipzig: "." 4.52 %, "(" 0.274 %, "/" 0.039 %, "&" 0.016 %, "+" 0.010 %,
 *   "@" and "*" 0.004 % of tokens);
 * - `# % =`: below Leipzig's twenty most frequent special characters, so given the rarest listed (`*`).
 */
export const MARKS_PER_THOUSAND_WORDS: Readonly<Record<string, number>> = {
  '.': 65.3,
  ',': 61.6,
  '"': 26.7,
  "'": 24.3,
  '-': 15.3,
  '?': 5.6,
  '(': 3.96,
  ')': 3.96,
  ':': 3.4,
  '!': 3.3,
  ';': 3.2,
  '/': 0.57,
  '&': 0.23,
  '+': 0.15,
  '@': 0.062,
  '*': 0.062,
  '#': 0.062,
  '%': 0.062,
  '=': 0.062,
}

/**
 * The natural-log probability of `mark` as the next character of English text.
 *
 * @param mark one character
 * @param charactersPerWord characters per running word, its space and punctuation included
 * @returns log(occurrences per word / characters per word); undefined for a character not in {@link MARKS_PER_THOUSAND_WORDS}
 */
export function markLogProbability(mark: string, charactersPerWord: number): number | undefined {
  const perThousand = MARKS_PER_THOUSAND_WORDS[mark]
  return perThousand === undefined ? undefined : Math.log(perThousand / (1000 * charactersPerWord))
}
