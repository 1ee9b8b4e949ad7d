import type { TFunction } from 'i18next'
import { isApiError } from '../bridge'

/** Which of the kiosk's own sentences answers a refused field, in the screen's language. */
const FIELD_MESSAGES = {
  firstName: 'kiosk.lettersOnly',
  birthYear: 'kiosk.needYear',
  phoneLast4: 'kiosk.needPhone',
  birthday: 'kiosk.needBirthday',
  code: 'kiosk.codeLettersDigits',
} as const

/**
 * A refusal from main, said at the kiosk in the screen's language: a field main refused gets
 * the kiosk's own words for it (main's English never reaches a Spanish screen); anything else
 * is "please try again, or ask at the front desk".
 */
export function kioskProblem(t: TFunction, error: unknown): string {
  if (isApiError(error, 'INVALID_INPUT') || isApiError(error, 'VALIDATION')) {
    const field = Object.keys(error.fields).find((name): name is keyof typeof FIELD_MESSAGES => name in FIELD_MESSAGES)
    if (field) return t(FIELD_MESSAGES[field])
  }
  if (isApiError(error, 'NOT_FOUND')) return t('kiosk.startAgain')
  return t('kiosk.findFailed')
}
