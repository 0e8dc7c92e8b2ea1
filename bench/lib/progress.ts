/**
 * A progress display on stderr, so stdout stays the report. On a terminal one status line is
 * redrawn in place; elsewhere (CI logs, a pipe) each finished step is one plain line.
 */

/** Shortest gap between two redraws of the status line: more would only cost the benchmark CPU. */
const REDRAW_INTERVAL_MS = 100
/** Without a terminal, a plain status line this often: enough to see a long phase move, few enough for a log. */
const LOG_INTERVAL_MS = 15_000

/** What the display is showing and how far the whole run is. */
export class Progress {
  readonly #stream: NodeJS.WriteStream
  readonly #interactive: boolean
  readonly #started = performance.now()
  #phaseStarted = performance.now()
  #lastDraw = 0

  constructor(stream: NodeJS.WriteStream = process.stderr) {
    this.#stream = stream
    this.#interactive = stream.isTTY === true
  }

  /** Starts a phase of the run (e.g. "accuracy and latency: tesseract"). */
  phase(name: string): void {
    this.#phaseStarted = performance.now()
    this.log(`▶ ${name}`)
  }

  /** Updates the status line: `detail` says what is running now, `done`/`total` how far the phase is. */
  update(detail: string, done: number, total: number): void {
    const phaseSeconds = (performance.now() - this.#phaseStarted) / 1000
    const eta = done > 0 && done < total ? ` · ~${clock((phaseSeconds / done) * (total - done))} left` : ''
    const line = `[${this.#elapsed()}] ${bar(done, total)} ${done}/${total} ${detail}${eta}`
    const now = performance.now()
    if (now - this.#lastDraw < (this.#interactive ? REDRAW_INTERVAL_MS : LOG_INTERVAL_MS)) return
    this.#lastDraw = now
    if (!this.#interactive) {
      this.#stream.write(`${line}\n`)
      return
    }
    const width = this.#stream.columns ?? 100
    this.#stream.write(`\r\x1b[2K${line.slice(0, width - 1)}`)
  }

  /** Prints a line that stays (above the status line on a terminal). */
  log(message: string): void {
    if (this.#interactive) this.#stream.write('\r\x1b[2K')
    this.#stream.write(`[${this.#elapsed()}] ${message}\n`)
    // The status line was wiped; the next update redraws it at once.
    this.#lastDraw = 0
  }

  /** Clears the status line. */
  done(): void {
    if (this.#interactive) this.#stream.write('\r\x1b[2K')
    this.log(`finished in ${this.#elapsed()}`)
  }

  #elapsed(): string {
    return clock((performance.now() - this.#started) / 1000)
  }
}

/** Seconds as m:ss. */
function clock(seconds: number): string {
  const whole = Math.round(seconds)
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`
}

/** Width of the drawn progress bar in characters. */
const BAR_WIDTH = 20

function bar(done: number, total: number): string {
  const filled = total === 0 ? BAR_WIDTH : Math.round((done / total) * BAR_WIDTH)
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`
}
