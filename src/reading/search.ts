/**
 * The search of segmentation by recognition: the best path through one line's lattice of
 * candidate characters (`pipeline/lattice.ts`), each candidate already classified. Pure: numbers
 * in, a path out; what the numbers mean (classifier, rejector, layout priors) is the caller's.
 *
 * A path's score is the sum, over its characters, of
 * - the log-probability of the character's reading (class) given its pixels,
 * - the candidate's class-independent score (glyph-likeness, size and width priors), or, for a
 *   candidate passed over as not a character, its skip score,
 * - the score of the node it starts at (a cut through ink costs; a natural gap is free),
 * - for every gap between consecutive characters, the log-probability of a space there or not
 *   (from the gap's width, when `spaceLogOdds` is given),
 * - `lmWeight` × the language model's log-probability of the character (and of a space) after
 *   the characters before it, plus that weight × its end-of-line log-probability.
 *
 * The search is a beam search over the lattice's nodes, left to right. Hypotheses that end in
 * the same candidate with the same language-model state are merged (the better kept), so that
 * without a language model it is an exact Viterbi search as long as `beamWidth` is at least the
 * number of candidates that end at a node.
 */

/** One reading of a candidate: a character and its natural-log probability. */
export interface Reading {
  readonly text: string
  readonly logProb: number
}

/** A candidate character of the lattice, as the search sees it. */
export interface SearchCandidate {
  /** The node it leaves (its first segment) and the node it enters (one past its last). */
  readonly from: number
  readonly to: number
  /** Its readings considered, best first (a few of the classifier's top classes). */
  readonly readings: readonly Reading[]
  /** Class-independent log-score: glyph-likeness and layout priors. */
  readonly score: number
  /** Left and right edge along the line, in pixels, for the gaps between characters. */
  readonly left: number
  readonly right: number
  /**
   * When set, the path may pass over the candidate as "not a character" (a dash, a speck, the
   * desk's grain) with this log-score instead of reading it; nothing is read and the language
   * model does not advance.
   */
  readonly skipScore?: number
}

/** One line's lattice, classified. */
export interface SearchLine {
  /** Nodes 0 … nodeCount − 1; paths run from the first to the last. */
  readonly nodeCount: number
  readonly candidates: readonly SearchCandidate[]
  /** Log-score of a path that passes node i as a boundary between two characters (e.g. a cut's cost); 0 when absent. */
  readonly nodeScore?: ArrayLike<number>
}

/**
 * A character language model with an incremental state: the search advances one state per
 * hypothesis. `key` names states that predict alike (for merging hypotheses); without it no two
 * hypotheses with a language model are merged.
 */
export interface CharLanguageModel<State> {
  initialState(): State
  /** The state after `char`, and the log-probability of `char` in `state`. */
  advance(state: State, char: string): { state: State; logProb: number }
  /** Log-probability that the text ends in `state`. */
  endLogProb(state: State): number
  key?(state: State): string
}

/** Settings of {@link searchLine}. */
export interface SearchOptions<State> {
  /** Hypotheses kept per node. */
  readonly beamWidth: number
  readonly languageModel?: CharLanguageModel<State>
  /** Weight of the language model's log-probabilities (λ). */
  readonly lmWeight?: number
  /**
   * Added to the language model's log-probability of every character read (then weighted by λ):
   * about the mean nats a character costs, so that the model does not favour paths of fewer,
   * wider characters merely because each character read costs probability.
   */
  readonly lmCharBonus?: number
  /**
   * Log-odds that a gap of `gap` pixels between consecutive characters is a space (±Infinity:
   * certainly, or certainly not). Without it the search places no spaces (the caller splits words
   * afterwards).
   */
  readonly spaceLogOdds?: (gap: number) => number
}

/** One character of the chosen path. */
export interface SearchStep {
  /** Index of the candidate in `line.candidates`. */
  readonly candidate: number
  /** The reading chosen for it ('' when it was passed over as not a character). */
  readonly text: string
  /** Whether it was passed over as not a character (see `SearchCandidate.skipScore`). */
  readonly skipped: boolean
  /** Whether the search put a space before it (never before the first). */
  readonly spaceBefore: boolean
}

/** The best path of a line. */
export interface SearchResult {
  readonly steps: SearchStep[]
  readonly score: number
}

interface Hypothesis<State> {
  readonly score: number
  readonly last: number
  readonly state: State | undefined
  readonly previous: Hypothesis<State> | undefined
  readonly step: SearchStep | undefined
}

/** log σ(x) without overflow. */
export function logSigmoid(x: number): number {
  return x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x))
}

/**
 * Chooses the best path through a line's lattice (see the module's description of the score).
 *
 * @param line the classified lattice; every node must be reachable (single segments always are)
 * @returns the characters of the best path left to right, or no steps for an empty line
 */
export function searchLine<State = never>(line: SearchLine, options: SearchOptions<State>): SearchResult {
  const { nodeCount, candidates } = line
  if (nodeCount <= 1 || candidates.length === 0) return { steps: [], score: 0 }
  const lm = options.languageModel
  const lambda = options.lmWeight ?? 0
  const charBonus = options.lmCharBonus ?? 0
  const outgoing: number[][] = Array.from({ length: nodeCount }, () => [])
  candidates.forEach((c, index) => {
    if (c.from < 0 || c.to > nodeCount - 1 || c.to <= c.from)
      throw new RangeError(`candidate ${index} spans [${c.from}, ${c.to}) outside the lattice`)
    outgoing[c.from].push(index)
  })
  const beams: Array<Map<string, Hypothesis<State>>> = Array.from({ length: nodeCount }, () => new Map<string, Hypothesis<State>>())
  const start: Hypothesis<State> = { score: 0, last: -1, state: lm?.initialState(), previous: undefined, step: undefined }
  beams[0].set('', start)
  let unmerged = 0

  const offer = (node: number, h: Hypothesis<State>): void => {
    // Without a state key every hypothesis with a language model is its own (numbered) entry.
    const key = lm === undefined ? String(h.last) : lm.key ? `${h.last}|${lm.key(h.state as State)}` : `${h.last}|#${unmerged++}`
    const held = beams[node].get(key)
    if (held === undefined || held.score < h.score) beams[node].set(key, h)
  }

  for (let node = 0; node < nodeCount - 1; node++) {
    const hypotheses = [...beams[node].values()].sort((a, b) => b.score - a.score).slice(0, options.beamWidth)
    beams[node].clear()
    const boundary = node > 0 ? (line.nodeScore?.[node] ?? 0) : 0
    for (const h of hypotheses) {
      const previous = h.last >= 0 ? candidates[h.last] : undefined
      for (const index of outgoing[node]) {
        const c = candidates[index]
        const gapOdds = previous !== undefined && options.spaceLogOdds ? options.spaceLogOdds(c.left - previous.right) : undefined
        // Without a language model only the best reading can win; with one, every reading is tried.
        const readings = lm === undefined ? c.readings.slice(0, 1) : c.readings
        for (const r of readings) {
          const base = h.score + boundary + c.score + r.logProb
          const choices: boolean[] = gapOdds === undefined ? [false] : [false, true]
          for (const space of choices) {
            let score = base
            let state = h.state
            if (gapOdds !== undefined) {
              const spaceTerm = logSigmoid(space ? gapOdds : -gapOdds)
              // A choice the caller rules out (infinite log-odds against it) is not tried at all.
              if (spaceTerm === -Infinity) continue
              score += spaceTerm
            }
            if (lm !== undefined) {
              if (space) {
                const s = lm.advance(state as State, ' ')
                score += lambda * s.logProb
                state = s.state
              }
              const a = lm.advance(state as State, r.text)
              score += lambda * (a.logProb + charBonus)
              state = a.state
            }
            offer(c.to, {
              score,
              last: index,
              state,
              previous: h,
              step: { candidate: index, text: r.text, spaceBefore: space, skipped: false },
            })
          }
        }
        if (c.skipScore !== undefined) {
          const step = { candidate: index, text: '', spaceBefore: false, skipped: true }
          offer(c.to, { score: h.score + boundary + c.skipScore, last: index, state: h.state, previous: h, step })
        }
      }
    }
  }

  let best: Hypothesis<State> | undefined,
    bestScore = -Infinity
  for (const h of beams[nodeCount - 1].values()) {
    const score = h.score + (lm !== undefined ? lambda * lm.endLogProb(h.state as State) : 0)
    if (score > bestScore) {
      bestScore = score
      best = h
    }
  }
  const steps: SearchStep[] = []
  for (let h = best; h?.step !== undefined; h = h.previous) steps.push(h.step)
  return { steps: steps.reverse(), score: bestScore }
}
