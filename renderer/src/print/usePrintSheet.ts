import { useEffect, useState } from 'react'

interface Job<T> {
  data: T
  /** Absent: to paper, through the window's print dialog. Present: main saves the page as a PDF. */
  save?: { run: () => Promise<unknown>; resolve: (value: unknown) => void; reject: (error: unknown) => void }
}

/**
 * A sheet printed on demand, only ever one on the page for the print stylesheet to show.
 * `print(data)` puts the sheet on the page and the window's print runs once it has rendered;
 * `afterprint` takes it away. `whileShown(data, save)` puts it on the page, runs `save` (main
 * printing the page to a PDF) once it has rendered, and takes it away when that settles.
 */
export function usePrintSheet<T>(): { sheet: T | null; print: (data: T) => void; whileShown: <R>(data: T, save: () => Promise<R>) => Promise<R> } {
  const [job, setJob] = useState<Job<T> | null>(null)
  useEffect(() => {
    if (job === null) return
    const { save } = job
    if (save) {
      const timer = window.setTimeout(() => {
        save
          .run()
          .then(save.resolve, save.reject)
          .finally(() => setJob((current) => (current === job ? null : current)))
      }, 50)
      return () => window.clearTimeout(timer)
    }
    const done = () => setJob(null)
    window.addEventListener('afterprint', done, { once: true })
    const timer = window.setTimeout(() => window.print(), 50)
    return () => {
      window.clearTimeout(timer)
      window.removeEventListener('afterprint', done)
    }
  }, [job])
  return {
    sheet: job?.data ?? null,
    print: (data) => setJob({ data }),
    whileShown: <R,>(data: T, run: () => Promise<R>) =>
      new Promise<R>((resolve, reject) => setJob({ data, save: { run, resolve: resolve as (value: unknown) => void, reject } })),
  }
}
