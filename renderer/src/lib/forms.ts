import type { FormErrors } from '@mantine/form'

/**
 * After a failed submit, put the cursor in the first field with a problem, so a keyboard user
 * lands where the fix is (and a screen reader reads the field with its error).
 */
export function focusFirstError(errors: FormErrors): void {
  const first = Object.keys(errors)[0]
  if (first) focusField(first)
}

/** Mantine marks each form input with data-path; finding it there needs no ref threaded through. */
export function focusField(path: string): void {
  document.querySelector<HTMLElement>(`[data-path="${CSS.escape(path)}"]`)?.focus()
}
