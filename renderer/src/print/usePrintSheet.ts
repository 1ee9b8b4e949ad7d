import { useEffect, useState } from 'react'

/**
 * A sheet printed on demand: `print(data)` puts the sheet on the page, the window's print runs
 * once it has rendered (Electron's print dialog offers "Save as PDF"), and `afterprint` takes it
 * away again, so only one sheet is ever on the page for the print stylesheet to show.
 */
export function usePrintSheet<T>(): { sheet: T | null; print: (data: T) => void } {
  const [sheet, setSheet] = useState<T | null>(null)
  useEffect(() => {
    if (sheet === null) return
    const done = () => setSheet(null)
    window.addEventListener('afterprint', done, { once: true })
    const timer = window.setTimeout(() => window.print(), 50)
    return () => {
      window.clearTimeout(timer)
      window.removeEventListener('afterprint', done)
    }
  }, [sheet])
  return { sheet, print: setSheet }
}
