import { nextInk, wordsOf, type BinaryImage } from './image.js'

/** A label image, as returned by {@link labelComponents}. */
export interface Labelling {
  /** Row-major label per pixel: 0 for background, k for the pixels of component k (1-based). */
  readonly labels: Int32Array
  /** Number of components; labels run from 1 to `count`. */
  readonly count: number
}

/**
 * Labels the 8-connected components of a binary image, like scikit-image's
 * `measure.label(image, connectivity=2)`: labels are numbered 1.. in raster order of each
 * component's first pixel. Works on runs of ink rather than pixels (ink is sparse on a page):
 * each row's runs are joined by union-find to the runs of the row above that they touch
 * (diagonals included), then the label image is filled run by run. Linear in pixels.
 *
 * @param image binary image, 1 = ink
 * @returns the label image and the number of components (the letter finder measures the
 *   candidates it builds from them itself, so no per-component statistics are kept here)
 */
export function labelComponents(image: BinaryImage): Labelling {
  const { width, height, data } = image
  const words = wordsOf(data)
  const runs = new RunList()
  let previousFirst = 0,
    previousEnd = 0
  for (let y = 0; y < height; y++) {
    const row = y * width
    const first = runs.count
    let touching = previousFirst
    let x = nextInk(data, words, row, row + width) - row
    while (x < width) {
      let end = x
      while (end < width && data[row + end] !== 0) end++
      const run = runs.add(x, end, y)
      // Runs above are sorted; one touches [x, end) when it starts at or before `end` and ends at or after `x`.
      while (touching < previousEnd && runs.end[touching] < x) touching++
      for (let k = touching; k < previousEnd && runs.start[k] <= end; k++) runs.union(run, k)
      x = nextInk(data, words, row + end, row + width) - row
    }
    previousFirst = first
    previousEnd = runs.count
  }

  // Roots are each component's first run, so numbering roots in run order is raster order.
  const finalOf = new Int32Array(runs.count)
  let count = 0
  for (let r = 0; r < runs.count; r++) if (runs.find(r) === r) finalOf[r] = ++count
  const labels = new Int32Array(width * height)
  for (let r = 0; r < runs.count; r++)
    labels.fill(finalOf[runs.find(r)], runs.row[r] * width + runs.start[r], runs.row[r] * width + runs.end[r])
  return { labels, count }
}

/** Runs of ink (start, exclusive end, row) with a union-find over them; grows as needed. */
class RunList {
  start: Int32Array = new Int32Array(1024)
  end: Int32Array = new Int32Array(1024)
  row: Int32Array = new Int32Array(1024)
  parent: Int32Array = new Int32Array(1024)
  count = 0

  add(start: number, end: number, row: number): number {
    if (this.count === this.start.length) {
      const grow = (a: Int32Array): Int32Array => {
        const b = new Int32Array(a.length * 2)
        b.set(a)
        return b
      }
      this.start = grow(this.start)
      this.end = grow(this.end)
      this.row = grow(this.row)
      this.parent = grow(this.parent)
    }
    const i = this.count++
    this.start[i] = start
    this.end[i] = end
    this.row[i] = row
    this.parent[i] = i
    return i
  }

  find(a: number): number {
    const parent = this.parent
    while (parent[a] !== a) {
      parent[a] = parent[parent[a]]
      a = parent[a]
    }
    return a
  }

  /** Joins two sets, keeping the smaller root (the earlier run) as the root. */
  union(a: number, b: number): void {
    const ra = this.find(a),
      rb = this.find(b)
    if (ra < rb) this.parent[rb] = ra
    else if (rb < ra) this.parent[ra] = rb
  }
}
