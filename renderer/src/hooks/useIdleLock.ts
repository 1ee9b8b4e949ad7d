import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef } from 'react'
import { invoke, isApiError } from '../bridge'
import { keys, useSessionLock } from './queries'

// 'input' too: pasting, dictation and autofill type without a key press.
const INPUT_EVENTS = ['keydown', 'input', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const

/**
 * Locks this window after `seconds` without keyboard, mouse or touch. Main keeps its own idle
 * clock too and refuses calls once it runs out, so this is the prompt side of the lock; input
 * is reported to main (a few times per idle period at most) so typing into a long form keeps
 * the window awake there as well.
 */
export function useIdleLock(seconds: number | null, locked: boolean): void {
  const client = useQueryClient()
  const lock = useSessionLock()
  const lockRef = useRef(lock.mutate)
  useEffect(() => {
    lockRef.current = lock.mutate
  })

  useEffect(() => {
    if (!seconds || locked) return
    const limit = seconds * 1000
    const reportEvery = Math.min(15_000, limit / 3)
    let lastInput = Date.now()
    let lastReport = lastInput
    let locking = false
    const onInput = () => {
      lastInput = Date.now()
      if (lastInput - lastReport < reportEvery) return
      lastReport = lastInput
      invoke('session.touch', {}).catch((error: unknown) => {
        // Main already locked (or signed out): show what it says.
        if (isApiError(error)) void client.invalidateQueries({ queryKey: keys.status })
      })
    }
    const timer = window.setInterval(() => {
      if (!locking && Date.now() - lastInput >= limit) {
        locking = true
        lockRef.current()
      }
    }, 500)
    for (const name of INPUT_EVENTS) window.addEventListener(name, onInput, { capture: true, passive: true })
    return () => {
      window.clearInterval(timer)
      for (const name of INPUT_EVENTS) window.removeEventListener(name, onInput, { capture: true })
    }
  }, [seconds, locked, client])
}
