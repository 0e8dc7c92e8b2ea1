/**
 * The one configuration every image goes through. Sizes are relative to what the page itself
 * measures (stroke width, letter height) or to the working resolution, never to one photo.
 */
export const PIPELINE_CONFIG = {
  decode: {
    /** Uploads with more pixels than this are refused before a full decode. */
    maxInputPixels: 50_000_000,
    /** Every image is scaled to about this many pixels before analysis. */
    workingPixels: 1_200_000,
    /** Enlarging a tiny image further adds work, not detail. */
    maxUpscale: 2,
  },
  background: {
    /** Background cells per side of a square page of the working size; the cell is in pixels. */
    cellsAcrossPage: 110,
    /** Radius of the grey closing in cells; wider than any pen stroke at working resolution. */
    closingRadius: 2,
  },
  morphology: {
    /** Dilation half-width across the line, in stroke widths: bridges broken strokes. */
    dilationAcross: 0.25,
    /** Dilation half-height, in stroke widths: letters' pieces sit above one another more often. */
    dilationAlong: 1.0,
  },
  candidates: {
    speckAreaStrokes: 0.5,
    dotMaxSize: 0.3,
    borderObjectHeights: 2.5,
    borderSliverHeights: 0.5,
    maxPageFraction: 0.5,
    maxLetterHeights: 6,
    /** Candidates shorter than this many stroke widths do not vote on the letter height. */
    minLetterStrokes: 3,
  },
  fragments: {
    /** Neighbours overlapping by this fraction of the narrower one's width are one letter. */
    minOverlap: 0.5,
    fragmentWidth: 0.65,
    maxMergedHeights: 1.5,
  },
  split: {
    minWidthRatio: 1.7,
    minAspect: 1.5,
    maxCutInkStrokes: 2.5,
  },
  skew: { maxDegrees: 12, stepDegrees: 0.5 },
  rows: { rowGapHeights: 0.55, minLineHeightFraction: 0.6 },
  dots: {
    /** A dot belongs to a line when its centre is within this many letter heights of the line's band. */
    maxDistanceHeights: 0.35,
    /** A period sits in the lower part of the line: its centre is below this fraction of the band. */
    minBaselineFraction: 0.6,
  },
  words: { minGapContrast: 2.0, minWordGapHeights: 0.7, outlierGapRatio: 2.5 },
} as const

/** The shape of {@link PIPELINE_CONFIG} with numbers in place of its literal values, so a variant can be made. */
export type PipelineConfig = {
  readonly [Stage in keyof typeof PIPELINE_CONFIG]: { readonly [Setting in keyof (typeof PIPELINE_CONFIG)[Stage]]: number }
}
