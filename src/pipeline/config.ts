/**
 * The one configuration every image goes through: every tuning constant of the reading, each
 * documented here. Sizes are relative to what the page itself measures (stroke width, letter
 * height) or to the working resolution, never to one photo. The stages take their section as an
 * options object; tests pass variants.
 */
export const PIPELINE_CONFIG = {
  decode: {
    /** Uploads with more pixels than this are refused before a full decode. */
    maxInputPixels: 50_000_000,
    /** Uploads with a side longer than this are refused from the header (a 1 × 50 M image decodes for half a minute). */
    maxImageSide: 30_000,
    /** Uploads longer than this many times their width (or wider than tall) are refused from the header. */
    maxAspectRatio: 20,
    /** Every image is scaled to about this many pixels before analysis. */
    workingPixels: 1_200_000,
    /** Enlarging a tiny image further adds work, not detail. */
    maxUpscale: 2,
    /**
     * Writing whose typical letter height at the working size is under this many pixels is read again
     * larger (`writing-size.ts`): on the mixed-case synthetic pages, pages under 30 px found 32–67 % of
     * their letters, pages of 30–40 px 79–86 %; read at twice the size, those under 30 gained 6–40 points.
     */
    minLetterPixels: 30,
    /** ...so that its letters are about this many pixels tall... */
    targetLetterPixels: 40,
    /** ...in at most this many pixels (four times the working size: a 12 MP photo of tiny writing stays bounded). */
    maxWorkingPixels: 4_800_000,
  },
  background: {
    /** Background cells per side of a square page of the working size; the cell is in pixels. */
    cellsAcrossPage: 110,
    /** Radius of the grey closing in cells; wider than any pen stroke at working resolution. */
    closingRadius: 2,
    /** Paper darker than this is taken to be this bright, so that near-black areas do not blow up. */
    minPaperBrightness: 0.02,
    /**
     * Near a step of the cell estimate (a hard shadow's edge, a sheet's edge on a desk), the paper is
     * also estimated on blocks of this many pixels, following the step...
     */
    stepScale: 2,
    /** ...by a closing of this radius in pixels (half the thickest pen stroke at the working size and more)... */
    stepClosingPixels: 8,
    /**
     * ...in cells whose neighbourhood of the cell estimate spans more than this ratio (brightest over
     * darkest, minus one): light gradients and vignetting span a few percent over five cells, a cast
     * shadow's edge a quarter and more.
     */
    stepContrast: 0.15,
    /**
     * ...across a step whose dark side is at least this many cells wide: a shadow or a desk is, the
     * dip that a big bold letter leaves in the cell estimate is not (and its strokes may be thicker
     * than the refining closing).
     */
    stepMinCells: 9,
  },
  page: {
    /** Brightness thresholds tried between the darkest and brightest background, looking for the sheet. */
    thresholdLevels: 8,
    /** A sheet covers at least this fraction of the frame. */
    minAreaFraction: 0.15,
    /**
     * The sheet's bright region fills at least this fraction of its convex hull (paper is convex; light is not)...
     * ...or else it is a sheet's lit part, a cast shadow biting into it, whose hull's sides step down all along
     * (`shadedPieceCells`).
     */
    minSolidity: 0.93,
    /**
     * The hull of a region short of `minSolidity` is judged in pieces of its sides this many cells long
     * (a twelfth of a frame's width): a gap that the hull bridges over the desk, between the sheet and clutter
     * jutting out of it, spans more; a median over fewer cells would follow the desk's grain.
     */
    shadedPieceCells: 8,
    /** Hull corners less than this many cells off the line through their neighbours are steps of the cell grid. */
    cornerToleranceCells: 1.5,
    /** A quadrilateral clipped by the frame has at most 8 corners; a rounded patch of light has more. */
    maxCorners: 8,
    /**
     * Around a sheet with 3–4 sides in view, the surround is at most this bright relative to the paper
     * (a light oak desk under paper in dim light is two thirds as bright; no light falls off in three straight steps)...
     */
    maxSurroundContrast: 0.75,
    /** ...and with 1–2 sides in view (a straight shadow edge looks like that) at most this bright. */
    maxSurroundContrastFewSides: 0.4,
    /** Less surround than this fraction of the frame is not worth cutting away. */
    minSurroundFraction: 0.01,
    /**
     * Sides in view that do not step down may make up at most this fraction of the sides in view:
     * clutter over a corner of the sheet (a sticky note, a mug) does not step, a leak into the desk runs a whole side.
     */
    maxUnsteppedFraction: 0.15,
    /** Bright cells are opened by a square of this radius in cells: a pen or a mug's rim touching the sheet is cut off it. */
    openingCells: 2,
    /**
     * A side whose surround is at least this fraction ink-dark once flattened is textured (a light
     * wooden desk's grain: a tenth to a half; a cast shadow's edge is flattened away, and paper in
     * shadow is as blank as paper in light)...
     */
    minTexturedSurroundInk: 0.1,
    /**
     * ...when that is also this many times the paper's just inside (ruled and grid paper have ink-dark
     * lines, a few hundredths; a region that leaked into the desk has grain on both sides). Such a side
     * needs only `maxSurroundContrast`, even with one or two sides in view.
     */
    minSurroundInkRatio: 3,
    /** A pixel of the flattened image darker than this is ink-dark, for the coverage the two above measure. */
    inkCoverageLevel: 0.9,
    /**
     * A cell's colour is measured on its pixels at least this bright relative to its background (ink's own
     * colour, a blue pen's, is not the paper's)...
     */
    paperPixelLevel: 0.85,
    /** ...and compared with the page's white: the median colour of this fraction of the cells, the brightest (the sheet's lit part). */
    whiteFraction: 0.1,
    /**
     * A cell further than this from the page's white (a chromaticity distance, `chroma.ts`) is no paper,
     * however bright: paper lies within 0.01 of it under a light gradient or a soft shadow, within 0.07
     * in the warmer ambient light of a hard shadow under a lamp; wooden desks lie 0.2–0.56 from it.
     */
    maxPaperChroma: 0.12,
    /** Background cells cut off inside the sheet's edges, where the flattened desk would turn to ink. */
    marginCells: 1.5,
  },
  deskew: {
    /** Text lines are looked for up to this many degrees either way (EXIF handles quarter turns). */
    maxDegrees: 45,
    coarseStepDegrees: 1,
    fineStepDegrees: 0.1,
    /**
     * The angle's score is the projection's energy around its running mean over this many blocks
     * either side (two to four lines of text at the working size): the envelope of the inked region is not scored;
     * a single line of big letters still scores as one line (at 16, three big letters scored as three lines at 45°).
     */
    envelopeBlocks: 32,
    /** A smaller turn is left to the line finder's own skew (see `skew`), without resampling the page. */
    minDegrees: 8,
    /** ...and so is a page whose projection shows fewer lines than this (one word's drifting baseline says little). */
    minLines: 2,
    /** Ink-density blocks across a square page of the working size, for the angle search. */
    blocksAcrossPage: 200,
  },
  rules: {
    /** Rules are at most this thick, as a fraction of the page's size (≈ 3 px at the working size): hairlines. */
    ruleWidthFraction: 0.003,
    /** A horizontal rule's pieces add up to at least this fraction of the page's width along one band... */
    minLengthFraction: 0.3,
    /** ...a piece counting when it is at least this fraction of the width long (longer than a letter's bar)... */
    minPieceFraction: 0.04,
    /** ...and the longest at least this fraction (bars of neighbouring letters never are). */
    minLongestFraction: 0.1,
    /** Gaps along a piece up to this many rule widths are bridged (a faint line binarises as dashes). */
    bridgeWidths: 2,
    /** A vertical rule (a margin, a grid) at least this fraction of the height: letters' stems can be long. */
    minVerticalLengthFraction: 0.5,
    /** Vertical rules are looked for only on ruled paper: when at least this many horizontal rules were found. */
    minRulesForVertical: 2,
    /**
     * Rules are looked for at slopes up to this many degrees either side of the text's: a sheet photographed at an
     * angle fans its rules out, and the deskew is off by a little. On the first 150 synthetic pages 2°, 3° and 6°
     * read alike (81.7 %, 81.7 %, 81.6 % of characters); up to about 2° the rows' own pieces find every rule, beyond
     * it pieces are also looked for along tilted lines, at a cost.
     */
    maxTiltDegrees: 2,
  },
  bindings: {
    /** A spiral binding's marks lie wholly within this fraction of the page's width from its left or right side... */
    edgeFraction: 0.08,
    /** ...at least this many of them (a note's dozen rings in view; two or three punched holes are too few to tell)... */
    minMarks: 5,
    /** ...alike: width and height within this fraction of the column's median (rings seen at an angle vary in width)... */
    sizeTolerance: 0.4,
    /** ...evenly spaced: this share of the gaps between neighbours... */
    regularShare: 0.7,
    /** ...within this fraction of the median gap, or of twice it (a ring lost in shadow)... */
    pitchTolerance: 0.2,
    /** ...down at least this fraction of the page's height... */
    minSpanFraction: 0.4,
    /** ...and at least this share of them with no other ink in their row (a numbered list's numbers lead lines of text). */
    minAloneShare: 0.5,
  },
  morphology: {
    /** Dilation half-width across the line, in stroke widths: bridges broken strokes. */
    dilationAcross: 0.25,
    /** Dilation half-height, in stroke widths: letters' pieces sit above one another more often. */
    dilationAlong: 1.0,
  },
  candidates: {
    /** Ink area below this many stroke-width squares is a speck. */
    speckAreaStrokes: 0.5,
    /** A dot is at most this tall and wide, as a fraction of the letter height. */
    dotMaxSize: 0.3,
    /** A dot is no longer than this many times its breadth: a pen's period is round or a short tick, a rule's remnant a dash. */
    dotMaxElongation: 2.5,
    /** A candidate touching the border and bigger than this many letter heights is a page edge... */
    borderObjectHeights: 2.5,
    /** ...and one smaller than this many is a sliver of shadow or table, not a letter cut by the frame. */
    borderSliverHeights: 0.5,
    /** A candidate touching the border and wider or taller than this fraction of the page is background. */
    maxPageFraction: 0.5,
    /** Anything longer than this many letter heights is a rule, border or drawing, not a letter... */
    maxLetterHeights: 6,
    /** ...unless it is as tall as a letter, at most this many letter heights, and wider than tall: a run of touching letters... */
    maxRunHeightHeights: 1.6,
    /** ...and at least this fraction of a letter height tall (thinner is a rule). */
    minRunHeightFraction: 0.6,
    /** Candidates shorter than this many stroke widths do not vote on the letter height. */
    minLetterStrokes: 3,
  },
  fragments: {
    /** Neighbours overlapping by this fraction of the narrower one's width are one letter. */
    minOverlap: 0.5,
    /** A piece narrower than this fraction of the line's letter width is a stroke fragment... */
    fragmentWidth: 0.65,
    /** ...and joins a neighbour whose box it touches if together they are at most this many letter heights wide. */
    maxMergedHeights: 1.5,
  },
  split: {
    /** A candidate this many times wider than the row's median letter width may be several letters... */
    minWidthRatio: 1.7,
    /** ...and must also be this many times wider than it is tall (a W or M rarely is). */
    minAspect: 1.5,
    /** The cut must cross at most this many stroke widths of ink. */
    maxCutInkStrokes: 2.5,
  },
  segmentation: {
    /**
     * 1: segmentation by recognition (pieces → lattice → search, the classifier decides where
     * letters begin and end); 0: the heuristic letters of `fragments` and `split` (kept for comparison).
     */
    byRecognition: 1,
  },
  pieces: {
    /** Pieces whose horizontal extents overlap by this fraction of the narrower one are one piece (stacked strokes of a letter). */
    stackOverlap: 0.5,
    /** A piece at least this many of its line's letter heights wide gets cut candidates (it may be touching letters). */
    minCutWidthHeights: 0.9,
    /** A cut crosses at most this many stroke widths of ink (thin joins and single strokes only). */
    maxCutInkStrokes: 2.5,
    /**
     * A cut leaves at least this many stroke widths of the piece on either side: an I or an l is about
     * one, and at 1.5 a narrow letter touching its neighbour could never be cut off (first 30 mixed-case
     * synthetic pages, touching letters held by a lattice candidate: 1.5 270/385, 1 286/385).
     */
    minPartStrokes: 1,
    /** Cuts of one piece are at least this many letter heights apart. */
    minCutSpacingHeights: 0.25,
    /** At most this many cuts per letter height of a piece's width, the thinnest kept: bounds the lattice. */
    maxCutsPerHeight: 3,
    /**
     * 1: a cut is the least-ink path from a piece's top to its bottom, bending around a letter that
     * leans over its neighbour (`cutPaths`); 0: straight columns. First 150 synthetic pages, block
     * capitals (cnn) / mixed case (mixed), seg. F1 and characters: straight 0.924 / 84.3 % and
     * 0.793 / 63.2 %; curved 0.926 / 84.7 % and 0.798 / 63.8 % (touching capitals found 68.8 → 70.0 %).
     */
    curvedCuts: 1,
    /**
     * 1: with curved cuts, the straight columns of least ink are cut candidates too, where they cross
     * no curved cut (`mergeCuts`): a least-ink path may run through a letter's open side and miss the
     * column where two letters touch (the least-ink path's cost is the ink profile smoothed by a
     * running minimum, whose nearby valleys merge). First 30 mixed-case synthetic pages, touching
     * letters held by a lattice candidate: curved 270/385, straight 279, both 286; both with
     * `minPartStrokes` 1: 307 (candidates 4353 → 5868). First 150 pages, model `mixed`, mixed case /
     * block capitals: touching letters found 43.8 → 45.7 % / 69.5 → 73.5 %, seg. F1 0.8385 → 0.8419 /
     * 0.925 → 0.9315, characters (case-insensitive) 69.6 → 70.2 % / 84.4 → 85.6 %.
     */
    straightCutsToo: 1,
    /**
     * A curved cut pays this many ink pixels per sideways step: of paths crossing as little ink, the
     * straightest. At 0.25 paths wander through letters' open sides (capitals F1 0.921); 1 and 2 read alike.
     */
    cutStepCost: 1,
  },
  lattice: {
    /** A candidate character joins at most this many segments (a letter broken in three, a W cut twice, …). */
    maxSegments: 5,
    /** A candidate of several segments is at most this many of its line's letter heights wide (a wide W). */
    maxWidthHeights: 1.6,
    /** …and spans no gap between its segments wider than this many letter heights (a broken stroke's gap is small). */
    maxInnerGapHeights: 0.35,
    /** Lattices beyond this many candidates on a page keep single segments only on their longest lines (texture, not text). */
    maxCandidatesPerPage: 4000,
  },
  search: {
    /** Hypotheses kept per lattice node. */
    beamWidth: 16,
    /** Readings (top classes) of each candidate the search considers. */
    readingsPerCandidate: 5,
    /**
     * Log-score bonus per character read: balances paths of many small candidates against few large ones.
     * 1.0 reads more of the mixed-case synthetic pages (62.8 % of characters against 61.4 %) but splits a
     * word of `samples/01_list.jpg` into one letter too many (0.75 too): kept at 0.5.
     */
    charBonus: 0.5,
    /** Weight of the glyph-likeness term, log P(whole character) from the rejector. */
    glyphWeight: 1.0,
    /** Floor of the rejector's probability: it is weakest on wide letters (M, W), so it may doubt a candidate but not veto it. */
    minGlyphProbability: 0.02,
    /**
     * The rejector learnt digits and capitals only (and the lower case shaped like them): to a crop the
     * classifier reads as another lower-case letter (a b d e f g h n q r t), this is the probability of
     * being a character instead of the rejector's, weighted by the classifier's belief in those letters
     * (`judgedGlyphProbability`). On the first 150 mixed-case synthetic pages (model `mixed`), 0.5 takes
     * segmentation F1 from 0.714 to 0.723 and case-sensitive characters from 45.4 to 46.8 %. Where
     * `models/rejector-mixed.json` is shipped, its probability stands in for this prior (`rejectorCardsFor`).
     */
    unjudgedGlyphProbability: 0.5,
    /** Log-score of passing over a candidate as not a character (a dash, a speck, grain), added to the rejector's log P(not one)... */
    skipCost: -3,
    /** ...and to this weight times log(1 − the classifier's top probability), so that a crop read clearly is not passed over. */
    skipClassWeight: 1,
    /** Without a rejector: weight of the classifier's own entropy (nats) as a sign of a non-character. */
    entropyWeight: 0.5,
    /**
     * Cost of a path cutting through ink between two characters, per cut... At 2.5 the search kept
     * touching letters together (3.8 % of the capitals of the synthetic pages read merged with a
     * neighbour although the lattice held them apart). First 150 synthetic pages, block capitals
     * (cnn) / mixed case (mixed), seg. F1 and characters: 2.5 0.917 / 83.4 % and 0.781 / 61.8 %;
     * 0.5 0.924 / 84.3 % and 0.793 / 63.2 %; 0 0.925 / 84.4 % and 0.796 / 63.5 %, but at 0 a wide N
     * of a dev photo is read as two letters: 0.5.
     */
    cutCost: 0.5,
    /** ...and per stroke width of ink the cut crosses. */
    cutInkCost: 0.5,
    /** A candidate wider than this many of its line's letter heights pays for the excess... */
    freeWidthHeights: 1.5,
    /** ...this much per letter height. */
    widthCost: 6,
    /**
     * A candidate shorter than this fraction of its line's letter height pays for the shortfall
     * (read as a letter or a digit; see `shortfallScore`)... It is also where a union of several
     * segments becomes letter-sized, so that passing it over costs at least what passing over each
     * of its segments costs (`boundUnionSkips`). First 150 synthetic pages, model `mixed`, mixed case
     * / block capitals, seg. F1, characters (case-insensitive), words: unions bounded by their
     * dearest segment 0.8667, 72.6 %, 46.6 % / 0.9394, 87.4 %, 65.9 %; every union by its segments'
     * sum 0.8697 / 0.9411 but a T's bar cut in five is read as a dash on a dev photo; letter-sized
     * unions only 0.8707, 73.8 %, 47.3 % / 0.9416, 87.6 %, 66.1 %. With `lmCharBonus` 3 and short
     * marks (stop 23): 0.8713 -> 0.8728 (touching letters found 49.8 -> 53.7 %) / 0.9419 -> 0.9435.
     */
    freeHeightFraction: 0.6,
    /** ...this much per letter height. */
    heightCost: 8,
    /**
     * Weight λ of the character language model in a second pass of the search (0: one pass, the
     * model only chooses readings afterwards, see `context.lmWeight`).
     */
    lmWeight: 0.3,
    /**
     * Nats added to the model's log-probability of each character read in the search: about what a
     * character of note text costs the model, its share of the spaces and line ends included
     * (`bench/character-cost.ts`: 2.1-3.0 by truth set, 2.9 over the samples, fixtures, dev sets and
     * synthetic pages), so that the model weighs which characters a path reads, not how many. At the
     * 1.8 a character of a word costs alone, each character read cost the path about 0.3 nats and the
     * second pass read fewer, wider characters and passed more over (on the first 150 synthetic pages
     * recall 81.6 % against 92.5 % precision; a touching "BO" read "W").
     */
    lmCharBonus: 3,
  },
  letterCase: {
    /** A line's cap height is this quantile of how high its letters rise above the baseline (the tallest, less strays). */
    capQuantile: 0.9,
    /**
     * Letters rising less than this fraction of the cap height are small; a line whose median
     * letter rises at least this high is written in capitals (handwriting's x-height is 0.5–0.7 of it).
     */
    smallLetterFraction: 0.8,
    /** x-height as a fraction of the cap height, for a line of small letters with no ascender to measure the cap height. */
    xHeightRatio: 0.6,
    /** A line of uneven heights is in capitals when at least this many letters were read as capitals by their shape and none small. */
    minCapitalVotes: 2,
    /**
     * A bare stroke (I, l) is an i whose dot was not read with it when it rises less than this
     * fraction of the way from the x-height to the cap height: an l or an I is written far more
     * often than an i loses its dot, so the stroke must stand near the x-height. Midway (0.5) read
     * 72 of the l's on the first 150 mixed-case synthetic pages as i; a quarter reads 56 (39 once
     * words of tall letters measure their x-height from their a, e, n, r), and every dotless i of the
     * dev photos stays an i.
     */
    dotlessStrokeRise: 0.25,
  },
  marks: {
    /**
     * A candidate taller than this many of its line's letter heights is not a period, comma,
     * apostrophe, quote or dash, whatever its normalised crop looks like (in mixed-case lines the
     * letter height lies between the x-height and the cap height; a comma hangs at most about as
     * low as a descender, an apostrophe is about half a capital).
     */
    maxSmallMarkHeight: 0.8,
    /**
     * A candidate taller than this many line letter heights is no period or dash: those are a dot or a
     * bar about a stroke high. On the mixed-case synthetic pages a period is at most 0.24 cap heights
     * tall (95 % under 0.19), a dash 0.38 (0.31), an x-height letter 0.43 and more (95 %), and a line's
     * letter height is 0.8–0.95 cap heights; a small thick "o", "s" or "e" normalises to a blob that the
     * classifier reads as a period.
     */
    maxDotHeight: 0.45,
    /** ...and none taller than this is an apostrophe or a quote (at most 0.41 cap heights there, 95 % under 0.38). */
    maxQuoteHeight: 0.6,
  },
  textLines: {
    /**
     * A line is kept when the characters the search read on it average at least this rejector
     * probability of being whole characters (and it read more than it passed over); below, its
     * "characters" are clutter read as letters (a spiral binding, a punched hole, a doodle).
     * On the synthetic pages 0.5 lost 2.6 points of characters against none (the rejector doubts
     * blurred, thick-stroked writing too); 0.3 loses 0.3 and drops the same clutter on the dev set.
     * The probability is the one the search used (`judgedGlyphProbability`): a lower-case letter the
     * capitals rejector never learnt is judged by the mixed-case one, so a line of faint lower case is
     * not dropped as clutter (first 150 mixed-case synthetic pages: case-sensitive characters 66.1 ->
     * 66.6 %, F1 0.834 -> 0.839; dev unchanged).
     */
    minMeanGlyphProbability: 0.3,
  },
  skew: {
    /** Largest line slope tried, in degrees, both ways. */
    maxDegrees: 12,
    /** Step between the slopes tried, in degrees. */
    stepDegrees: 0.5,
  },
  lines: {
    /** Lines are built from anchors: items at least this fraction of the letter height tall... */
    minAnchorFraction: 0.6,
    /** ...and at most this many letter heights (taller may be ink of two lines that dilation joined). */
    maxAnchorHeights: 1.6,
    /** Neighbours along a line are at most this many of the taller one's heights apart (a word gap, big letters far apart)... */
    maxLinkGapHeights: 2.5,
    /** ...overlap horizontally by at most this fraction of the narrower one (more is ink above or below)... */
    maxLinkOverlap: 0.5,
    /** ...and overlap across the line by at least this fraction of the shorter one: a letter of the next line never does. */
    minLinkOverlap: 0.5,
    /**
     * Weight of the offset across the line against the gap along it when choosing the nearest neighbour: a neighbour
     * half a letter height off costs as much as a level one three letter heights away, so that among big letters far
     * apart, a diagonal neighbour of the next line loses to the letter of its own line.
     */
    offsetWeight: 6,
    /** Pieces of one line are joined across a gap of at most this many letter heights... */
    maxJoinGapHeights: 8,
    /** ...when their centre lines meet within this many letter heights (lines above and below are a line height off). */
    maxJoinOffsetHeights: 0.6,
    /** Pieces of one line side by side (the links passed over a letter set high or low) keep within this many letter heights. */
    maxSideBySideOffsetHeights: 0.3,
    /** A line's centre at a point is a straight fit through this many of its letters nearest to it: lines may curve. */
    fitLetters: 8,
    /** The fitted slope is drawn towards the page's skew as if a letter stood on it this many letter heights away. */
    slopePriorHeights: 4,
    /** Marks, fragments and tall ink join the line whose band is nearest, if within this many letter heights... */
    maxAttachHeights: 0.5,
    /** ...and along the line or at most this many letter heights beyond its ends. */
    maxAttachBeyondHeights: 2.5,
    /** Ink whose height overlaps two lines' bands by this fraction of a line height each may be ink of both, split between them. */
    spanInsetFraction: 0.25,
    /** A line must hold a candidate at least this fraction of the letter height tall; lines of small marks are texture. */
    minLineHeightFraction: 0.6,
  },
  gridDots: {
    /** A page has a dot grid only when at least this many dots sit on one lattice (a note's periods never do). */
    minDots: 30,
    /** Lattice neighbours are looked for up to this many letter heights away: a grid's pitch is about a letter's height. */
    maxPitchHeights: 2.5,
    /** A neighbour is at the pitch when off by at most this fraction of it, along and across (perspective, a slight turn). */
    pitchTolerance: 0.2,
    /**
     * A dot is on the grid when at least this many of the 24 lattice points within two pitches hold
     * dots (a faint grid keeps only some crossings; a period beside a grid dot by chance has one)...
     */
    minLatticeNeighbours: 2,
    /** ...and the page has a grid only when at least this share of its dots are on it (specks of noise fall anywhere). */
    minShare: 0.5,
  },
  dots: {
    /** A dot belongs to a line when its centre is within this many letter heights of the line's band. */
    maxDistanceHeights: 0.35,
    /** A period sits in the lower part of the line: its centre is below this fraction of the band. */
    minBaselineFraction: 0.6,
  },
  words: {
    /** The wide gaps must average at least this many times the narrow ones to be word gaps. */
    minGapContrast: 2.0,
    /**
     * A word gap is at least this many letter heights wide. Writers leave word gaps of half a capital's
     * height and less (the synthetic pages draw 0.5–0.75 cap heights on 40 % of them, and a letter height
     * is 0.8–0.95 cap heights): at 0.7 those words ran together. On the first 150 synthetic pages 0.5
     * reads 61.5 % of the block-capital words against 53.0 % at 0.7, and 39.9 % of the mixed-case words
     * against 34.4 % (model mixed); the gap contrast tests above still keep the letters of a word together.
     */
    minWordGapHeights: 0.5,
    /** A gap this many times the line's median gap is a word gap whatever the others are. */
    outlierGapRatio: 2.5,
    /** A line with at least this many gaps is judged by its own spacing as well as the page's. */
    minGapsForOwnEvidence: 3,
    /** Gaps narrower than this many letter heights are treated as this wide when comparing groups. */
    gapFloorHeights: 0.1,
    /**
     * A clear split of a line's gaps whose wide gaps leave words of at most this many characters on
     * average has found its words (English words average 4.7 letters; a mark or a stray adds one): the
     * narrow gaps are then letter gaps, and a writer who spaces letters widely but writes some words with
     * touching letters keeps the wide letter gaps inside words ("This is", not "Th s i s").
     */
    maxLettersPerWord: 6,
    /**
     * A line whose every gap is at least this many of its letters' median widths is single
     * characters spaced apart, one word each (a grid of letters; the narrowest gap inside a word
     * is under one letter width on every line of the samples, fixtures and dev set).
     */
    spacedOutWidths: 1.4,
  },
  glyphs: {
    /** Masks larger than this (in working pixels) are shrunk before normalising; letters are far smaller. */
    maxMaskSide: 192,
    /** A period is found by its shape and place, not by the classifier; this is how sure that is. */
    periodConfidence: 0.9,
  },
  context: {
    /**
     * Weight λ of the character language model when it chooses each character's reading from its
     * top {@link swapTopK} by its neighbours (0: the look-alike vote and lexicon of `context.ts`
     * instead). At 0.3 the model turns a reading the classifier holds at odds below about 15 : 1
     * (see `language-model.ts`); chosen on the synthetic pages, never on the dev set.
     */
    lmWeight: 0.3,
    /**
     * Log-probability the language model charges for a mark it does not hold, its state carried across:
     * with markCostFromFrequency 1, the log of the mark's frequency in English text (`reading/mark-frequency.ts`:
     * a period about −4.5, a plus sign −10.6), so that a rare symbol needs clearer pixels than a common mark;
     * markLogProb for a character whose frequency is not known (and for every mark with markCostFromFrequency 0).
     */
    markLogProb: -4,
    markCostFromFrequency: 1,
    /** Characters per running word of English (4.7 letters on average, a space, punctuation): per-word counts to per-character. */
    charactersPerWord: 6,
    /**
     * Charged on top for a mark (other than an apostrophe or hyphen) between two letters or digits:
     * passed over for free, a mark inside a word lets the model skip a letter it finds unlikely. Charged
     * too for the letter after a mark that begins a word but does not open words (`WORD_OPENING_MARKS` in
     * `reading/case-folded-model.ts`): a t with a long bar read "+" made "+his" the word "HIS" after a sign
     * (dev studiocr_sentence_three read "+hi"; with the charge "thi").
     */
    markInWordLogProb: -4,
    /** Hypotheses (distinct language-model states) kept per character while a line is read. */
    beamWidth: 16,
    /** How far down a character's candidates a look-alike swap (O/0, I/1, …) may reach. */
    swapTopK: 3,
    /** Words shorter than this are never corrected to the lexicon. */
    lexiconMinLength: 3,
    /**
     * Prior odds of a dictionary word over a non-word: a correction needs the word's pixel
     * probability times these odds to beat the reading's (each letter's two cases taken together,
     * so small letters are corrected as capitals are). At 20 a letter is changed when the
     * classifier gives the new one at least 1/20 of the one read, two letters at a product of
     * 1/20. On the first 150 mixed-case synthetic pages (many names and random words outside the
     * lexicon), fixed odds of 5, 20 and 100 and odds growing with length (1.5ⁿ … 3ⁿ) all gain words
     * (35–50 corrected against 0–6 broken) and differ by a few characters; 20, chosen before small
     * letters were corrected, was kept.
     */
    lexiconPriorOdds: 20,
  },
  languageModel: {
    /**
     * n of the character n-grams: each character is predicted from the 4 before it, which reaches
     * across a short word and its space. Held out (`npx tsx bench/language-model.ts --sweep`), order 5
     * reads words at 2.65 bits per character against 2.98 for order 4 and 3.35 for order 3; the
     * model allows at most 5 (longer contexts multiply the states a search must keep apart).
     */
    order: 5,
    /**
     * Kneser–Ney's absolute discount, the same at every order. Held out, 0.5–0.9 change words by
     * 0.01 bits per character; numbers and codes (whose digits follow many contexts) prefer the higher end.
     */
    discount: 0.8,
    /**
     * How many times a word of SCOWL level 10 (the most common words) is written in the training
     * text (in lines of 1 to {@link phraseMaxWords} shuffled words), and how much more often phrases draw it...
     */
    weightLevel10: 8,
    /** ...a word first listed at level 20... */
    weightLevel20: 4,
    /** ...at level 35... */
    weightLevel35: 2,
    /** ...at level 40... */
    weightLevel40: 1,
    /** ...and at level 50, the rarest the lexicon holds. */
    weightLevel50: 1,
    /** Seed of the generated note text, so that the model is the same on every machine. */
    seed: 12,
    /** Generated lines of 1 to {@link phraseMaxWords} common words (spaces between words are learnt from these). */
    phraseLines: 30_000,
    /** The most words in a line of the written-out word list, a generated phrase or a list item. */
    phraseMaxWords: 5,
    /**
     * The share of a phrase's words drawn from the most frequent words of English by rank (the
     * rest from the word list by level weight): in English text about half of all words are among
     * the hundred most frequent, and without them "A" or "TO" between words would look rare.
     */
    commonWordShare: 0.5,
    /** Generated numbers of 1–8 digits, some grouped in thousands ("1 500"), some with a unit. */
    numberLines: 4_000,
    /** Generated dates ("12 05 2024", "12 MAY 2024", "MON 12 MAY"): slashes are not characters. */
    dateLines: 2_000,
    /** Generated clock times ("10 30", "7 PM", "MEET AT 9 45 AM"). */
    timeLines: 1_500,
    /** Generated prices and amounts ("12 50", "TOTAL 23 40"). */
    priceLines: 1_500,
    /** Generated phone numbers ("212 555 0199", "020 7946 0958"). */
    phoneLines: 1_500,
    /** Generated ZIP codes after a state ("NY 10025"), UK postcodes ("SW1A 1AA"), addresses, rooms. */
    postcodeLines: 3_000,
    /** Generated list items: a marker ("1", "2", … or "A", "B") and a phrase. */
    listLines: 3_000,
    /** Generated runs of the alphabet or the digits ("ABCDEFG", "A B C D", "1234567890"), as handwriting specimens hold. */
    runLines: 500,
  },
} as const

/** The shape of {@link PIPELINE_CONFIG} with numbers in place of its literal values, so a variant can be made. */
export type PipelineConfig = {
  readonly [Stage in keyof typeof PIPELINE_CONFIG]: { readonly [Setting in keyof (typeof PIPELINE_CONFIG)[Stage]]: number }
}
