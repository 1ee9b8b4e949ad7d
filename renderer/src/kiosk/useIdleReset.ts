import { useEffect, useRef } from 'react'

const ACTIVITY = ['pointerdown', 'keydown', 'touchstart', 'wheel', 'input'] as const

/**
 * Calls `onIdle` once nobody has touched the screen for `ms`, while `armed`. Any touch, key or
 * typing starts the wait again. The kiosk uses it to go back to its start screen, so the next
 * person never finds the last one's name or choices.
 */
export function useIdleReset(armed: boolean, ms: number, onIdle: () => void): void {
  const callback = useRef(onIdle)
  useEffect(() => {
    callback.current = onIdle
  }, [onIdle])

  useEffect(() => {
    if (!armed) return
    let timer = window.setTimeout(() => callback.current(), ms)
    const restart = () => {
      window.clearTimeout(timer)
      timer = window.setTimeout(() => callback.current(), ms)
    }
    for (const event of ACTIVITY) document.addEventListener(event, restart, { capture: true, passive: true })
    return () => {
      window.clearTimeout(timer)
      for (const event of ACTIVITY) document.removeEventListener(event, restart, { capture: true })
    }
  }, [armed, ms])
}
