import type { TFunction } from 'i18next'
import { ApiError, type ApiErrorCode } from '../bridge'
import type { Language } from '../i18n'
import { formatTime } from './format'

/**
 * Codes with a translation of their own. Others (VALIDATION, INVALID_INPUT, DB_*) carry a
 * message from main that is more specific than any generic wording, so that is shown as is.
 */
const TRANSLATED = [
  'NO_BRIDGE',
  'NOT_SIGNED_IN',
  'FORBIDDEN',
  'INTERNAL',
  'NOT_READY',
  'NOT_FOUND',
  'ALREADY_SET_UP',
  'AUTH_FAILED',
  'WRONG_PASSPHRASE',
  'SESSION_LOCKED',
  'PASSWORD_CHANGE_REQUIRED',
  'DISK_FULL',
] as const satisfies readonly ApiErrorCode[]

type TranslatedCode = (typeof TRANSLATED)[number]

function isTranslated(code: ApiErrorCode): code is TranslatedCode {
  return (TRANSLATED as readonly string[]).includes(code)
}

/** A sentence for the person at the desk, in their language where we have one. */
export function errorMessage(t: TFunction, language: Language, error: unknown): string {
  if (!(error instanceof ApiError)) return t('errors.INTERNAL')
  if (error.code === 'LOCKED_OUT') {
    const until = error.detail.until
    return typeof until === 'string' ? t('errors.LOCKED_OUT', { time: formatTime(until, language) }) : t('errors.lockedOutSoon')
  }
  if (isTranslated(error.code)) return t(`errors.${error.code}`)
  return error.message
}

/** Field errors from main, for `form.setErrors`: only the fields the form actually has. */
export function fieldErrors<F extends string>(error: unknown, fields: readonly F[]): Partial<Record<F, string>> {
  if (!(error instanceof ApiError)) return {}
  const result: Partial<Record<F, string>> = {}
  for (const field of fields) {
    const message = error.fields[field]
    if (message) result[field] = message
  }
  return result
}
