/**
 * A one-line progress bar for long command-line jobs (seeding, building the benchmark database).
 * On a terminal it redraws in place, at most ten times a second; into a pipe or a log it writes a
 * line when the phase changes and at every tenth of the way, so logs stay short.
 */
export interface Progress {
  update(done: number, total: number, phase: string): void
  /** Ends the bar's line (and prints a closing message if given). */
  finish(message?: string): void
}

export interface ProgressStream {
  write(text: string): unknown
  isTTY?: boolean
  columns?: number
}

const WIDTH = 28

function count(n: number): string {
  return Math.round(n).toLocaleString('en-US')
}

export function progressBar(stream: ProgressStream = process.stderr, now: () => number = () => performance.now()): Progress {
  const started = now()
  let lastDraw = -Infinity
  let lastPhase = ''
  let lastTenth = -1
  let open = false

  const line = (done: number, total: number, phase: string) => {
    const share = total > 0 ? Math.min(1, Math.max(0, done / total)) : 1
    const filled = Math.round(share * WIDTH)
    const seconds = ((now() - started) / 1000).toFixed(1)
    return `${phase.padEnd(13)} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${String(Math.floor(share * 100)).padStart(3)}%  ${count(done)}/${count(total)}  ${seconds}s`
  }

  return {
    update(done, total, phase) {
      if (stream.isTTY) {
        const t = now()
        if (phase === lastPhase && t - lastDraw < 100 && done < total) return
        if (phase !== lastPhase && open) stream.write('\n')
        lastDraw = t
        lastPhase = phase
        open = true
        stream.write(`\r${line(done, total, phase)}\u001b[K`)
        return
      }
      const tenth = total > 0 ? Math.floor((done / total) * 10) : 10
      if (phase === lastPhase && tenth === lastTenth) return
      lastPhase = phase
      lastTenth = tenth
      stream.write(`${line(done, total, phase)}\n`)
    },
    finish(message) {
      if (open) stream.write('\n')
      open = false
      if (message) stream.write(`${message}\n`)
    },
  }
}
