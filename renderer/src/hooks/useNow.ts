import { useEffect, useState } from 'react'

/** The current time, refreshed every `everyMs`: enough for "time on site" without re-rendering each second. */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs)
    return () => window.clearInterval(timer)
  }, [everyMs])
  return now
}
