import type { BinaryImage, Box } from './image.js'

/** One 8-connected blob of ink. */
export interface Component {
  /** Label in the label image, 1-based. */
  readonly label: number
  readonly box: Box
  /** Number of ink pixels. */
  readonly area: number
  /** Centre of mass, in pixels. */
  readonly cx: number
  readonly cy: number
}

/** Labels plus per-component statistics, as returned by {@link labelComponents}. */
export interface Labelling {
  /** Row-major label per pixel: 0 for background, k for the pixel of component k (1-based). */
  readonly labels: Int32Array
  /** Components in label order: `components[k - 1]` has label k. */
  readonly components: Component[]
}

/**
 * Labels the 8-connected components of a binary image, like scikit-image's
 * `measure.label(image, connectivity=2)`: labels are numbered 1.. in raster order of each
 * component's first pixel. Two passes with union-find (path halving), linear in pixels.
 *
 * @param image binary image, 1 = ink
 * @returns the label image and each component's box, pixel count and centroid
 */
export function labelComponents(image: BinaryImage): Labelling {
  const { width, height, data } = image
  const provisional = new Int32Array(width * height)
  // parent[0] is unused so that provisional label k indexes parent[k] directly.
  let parent = new Int32Array(1024)
  let next = 1

  const find = (a: number): number => {
    while (parent[a] !== a) {
      parent[a] = parent[parent[a]]
      a = parent[a]
    }
    return a
  }
  const union = (a: number, b: number): number => {
    const ra = find(a), rb = find(b)
    if (ra === rb) return ra
    // Keep the smaller root so that final labels follow raster order.
    if (ra < rb) { parent[rb] = ra; return ra }
    parent[ra] = rb
    return rb
  }

  for (let y = 0; y < height; y++) {
    const row = y * width
    for (let x = 0; x < width; x++) {
      const i = row + x
      if (data[i] === 0) continue
      let label = 0
      // The four already-visited 8-neighbours: W, NW, N, NE.
      if (x > 0 && provisional[i - 1] !== 0) label = provisional[i - 1]
      if (y > 0) {
        const up = i - width
        if (x > 0 && provisional[up - 1] !== 0) label = label === 0 ? provisional[up - 1] : union(label, provisional[up - 1])
        if (provisional[up] !== 0) label = label === 0 ? provisional[up] : union(label, provisional[up])
        if (x + 1 < width && provisional[up + 1] !== 0) label = label === 0 ? provisional[up + 1] : union(label, provisional[up + 1])
      }
      if (label === 0) {
        if (next >= parent.length) {
          const grown = new Int32Array(parent.length * 2)
          grown.set(parent)
          parent = grown
        }
        parent[next] = next
        label = next++
      }
      provisional[i] = label
    }
  }

  // Compact roots to consecutive labels in raster order of first appearance.
  const finalOf = new Int32Array(next)
  let count = 0
  for (let k = 1; k < next; k++) {
    const root = find(k)
    if (root === k) finalOf[k] = ++count
  }
  for (let k = 1; k < next; k++) finalOf[k] = finalOf[find(k)]

  const minX = new Int32Array(count + 1).fill(width)
  const minY = new Int32Array(count + 1).fill(height)
  const maxX = new Int32Array(count + 1).fill(-1)
  const maxY = new Int32Array(count + 1).fill(-1)
  const area = new Float64Array(count + 1)
  const sumX = new Float64Array(count + 1)
  const sumY = new Float64Array(count + 1)
  const labels = provisional
  for (let y = 0; y < height; y++) {
    const row = y * width
    for (let x = 0; x < width; x++) {
      const i = row + x
      const p = labels[i]
      if (p === 0) continue
      const l = finalOf[p]
      labels[i] = l
      if (x < minX[l]) minX[l] = x
      if (x > maxX[l]) maxX[l] = x
      if (y < minY[l]) minY[l] = y
      if (y > maxY[l]) maxY[l] = y
      area[l]++
      sumX[l] += x
      sumY[l] += y
    }
  }

  const components: Component[] = []
  for (let l = 1; l <= count; l++) {
    components.push({
      label: l,
      box: { x: minX[l], y: minY[l], width: maxX[l] - minX[l] + 1, height: maxY[l] - minY[l] + 1 },
      area: area[l],
      cx: sumX[l] / area[l],
      cy: sumY[l] / area[l],
    })
  }
  return { labels, components }
}
