/**
 * Says something to screen reader users without putting anything on screen: for changes that
 * are already visible where they happen (a row that moved, a name that changed), where a toast
 * would only cover the buttons the desk wants to press next.
 */
let region: HTMLElement | null = null

export function announce(message: string): void {
  if (!region) {
    region = document.createElement('div')
    region.setAttribute('role', 'status')
    region.setAttribute('aria-live', 'polite')
    region.className = 'pl-visually-hidden'
    document.body.appendChild(region)
  }
  // Cleared first, so the same words said twice are read twice.
  region.textContent = ''
  const target = region
  window.setTimeout(() => {
    target.textContent = message
  }, 50)
}
