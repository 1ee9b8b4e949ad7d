import type { TFunction } from 'i18next'

/*
 * Client-side mirrors of the zod rules in electron/ipc/contract/, so the desk sees a
 * problem beside the field, in their language, before anything is sent. Main still checks
 * everything: these are a courtesy, not the guard.
 */

type Check = string | null

/** What a required field is called inside "Enter …" (validation.what.* in the resources). */
type What = 'centerName' | 'adminName' | 'username' | 'password' | 'passphrase'

export function requiredText(t: TFunction, value: string, max: number, what: What): Check {
  const trimmed = value.trim()
  if (!trimmed) return t('validation.required', { what: t(`validation.what.${what}`) })
  if (trimmed.length > max) return t('validation.maxLength', { max })
  return null
}

export function username(t: TFunction, value: string): Check {
  const trimmed = value.trim()
  if (!trimmed) return t('validation.required', { what: t('validation.what.username') })
  if (trimmed.length < 3) return t('validation.minLength', { min: 3 })
  if (trimmed.length > 60) return t('validation.maxLength', { max: 60 })
  if (!/^[A-Za-z0-9._-]+$/.test(trimmed)) return t('validation.usernameChars')
  return null
}

/** Passwords and passphrases are not trimmed: every character counts, as in the contract. */
export function secret(t: TFunction, value: string, what: 'password' | 'passphrase'): Check {
  if (!value) return t('validation.required', { what: t(`validation.what.${what}`) })
  if (value.length < 10) return t('validation.minLength', { min: 10 })
  if (value.length > 1024) return t('validation.maxLength', { max: 1024 })
  return null
}

export function optionalMax(t: TFunction, value: string, max: number): Check {
  return value.length > max ? t('validation.maxLength', { max }) : null
}

export function birthYear(t: TFunction, value: string | number): Check {
  if (value === '') return null
  const year = typeof value === 'number' ? value : Number(value)
  if (!Number.isInteger(year)) return t('validation.yearWhole')
  if (year < 1900) return t('validation.yearMin')
  if (year > new Date().getFullYear()) return t('validation.yearFuture')
  return null
}

export function phone(t: TFunction, value: string): Check {
  if (value.length > 30) return t('validation.maxLength', { max: 30 })
  if (!/^[0-9+().\-\s]*$/.test(value)) return t('validation.phoneChars')
  return null
}

export const ANONYMOUS_CODE_MAX = 12

export function anonymousCode(t: TFunction, value: string): Check {
  if (value.length > ANONYMOUS_CODE_MAX) return t('validation.maxLength', { max: ANONYMOUS_CODE_MAX })
  if (!/^[\p{L}\p{N}\s-]*$/u.test(value)) return t('validation.codeChars')
  return null
}

/** The code-like part of a search: one word of letters and digits, upper-cased as main stores codes; '' if it is not one. */
export function codePrefix(text: string): string {
  const trimmed = text.trim()
  return trimmed.length >= 2 && trimmed.length <= ANONYMOUS_CODE_MAX && /^[\p{L}\p{N}-]+$/u.test(trimmed) ? trimmed.toUpperCase() : ''
}
