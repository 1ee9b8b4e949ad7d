import { useEffect, useState } from 'react'

/**
 * Prints a sheet through the window's print (Electron's printToPDF; Chromium's in the test host):
 * `print()` puts the sheet on the page, prints once it has rendered, and takes it away after.
 */
export function usePrintSheet(): { printing: boolean; print: () => void } {
  const [printing, setPrinting] = useState(false)
  useEffect(() => {
    if (!printing) return
    const done = () => setPrinting(false)
    window.addEventListener('afterprint', done, { once: true })
    const timer = window.setTimeout(() => window.print(), 50)
    return () => {
      window.clearTimeout(timer)
      window.removeEventListener('afterprint', done)
    }
  }, [printing])
  return { printing, print: () => setPrinting(true) }
}
