import { useRef } from 'react'

/**
 * The request id of one write with no natural key (a referral made, a contact logged): the same on
 * every retry of that write, so main makes it once however often the answer is lost on the way
 * back (the server gone after its COMMIT); a new one once it went through.
 */
export function useRequestId(): { current: () => string; done: () => void } {
  const id = useRef<string | null>(null)
  return {
    current: () => (id.current ??= crypto.randomUUID()),
    done: () => {
      id.current = null
    },
  }
}
