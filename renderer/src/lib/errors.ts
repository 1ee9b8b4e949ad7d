import i18next, { type TFunction } from 'i18next'
import { notifications } from '@mantine/notifications'
import type { MessageLanguage } from '../../../shared/messages'
import { formatMessage } from '../i18n/messages'
import { ApiError, type ApiErrorCode } from '../bridge'
import type { Language } from '../i18n'
import { formatTime } from './format'

/**
 * Codes the renderer words itself when main sent no catalog key: the bridge's own NO_BRIDGE,
 * and refusals from an older main. Everything else from main carries a key of the shared
 * catalog (shared/messages) and is worded from it in the screen's language.
 */
const TRANSLATED = [
  'NO_BRIDGE',
  'NOT_SIGNED_IN',
  'FORBIDDEN',
  'INTERNAL',
  'NOT_READY',
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

/** The screen's language for main's messages, read where no `language` is passed (form field errors). */
function screenLanguage(): MessageLanguage {
  return i18next.resolvedLanguage === 'es' ? 'es' : 'en'
}

/** A sentence for the person at the desk, in the screen's language. */
export function errorMessage(t: TFunction, language: Language, error: unknown): string {
  if (!(error instanceof ApiError)) return t('errors.INTERNAL')
  if (error.code === 'LOCKED_OUT') {
    const until = error.detail.until
    return typeof until === 'string' ? t('errors.LOCKED_OUT', { time: formatTime(until, language) }) : t('errors.lockedOutSoon')
  }
  if (error.key) return formatMessage(language, error.key, error.params)
  if (isTranslated(error.code)) return t(`errors.${error.code}`)
  return error.message
}

/** Field errors from main, for `form.setErrors`: only the fields the form actually has, in the screen's language. */
export function fieldErrors<F extends string>(error: unknown, fields: readonly F[], language: MessageLanguage = screenLanguage()): Partial<Record<F, string>> {
  if (!(error instanceof ApiError)) return {}
  const result: Partial<Record<F, string>> = {}
  for (const field of fields) {
    const message = error.fields[field]
    if (message) result[field] = formatMessage(language, message.key, message.params)
  }
  return result
}

/**
 * A dialog's save refused as changed on another PC: says so in a notice that stays until read
 * (the dialog closes on the old version, and the list behind it shows the new one). False for
 * any other refusal, which the dialog shows itself.
 */
export function noticeChangedElsewhere(t: TFunction, error: unknown): boolean {
  if (!(error instanceof ApiError) || error.code !== 'STALE') return false
  notifications.show({ color: 'yellow', message: errorMessage(t, screenLanguage(), error), autoClose: false })
  return true
}
