import type { TFunction } from 'i18next'
import type { Language } from '../i18n'
import { fullName } from '../lib/format'
import type { AuditPerson, AuditRow } from '../lib/types'

/*
 * The log's rows in plain words: the action from audit.actionNames, the detail from a sentence
 * for that action (audit.details) when the row holds every value it names, else a short list of
 * labelled values. Ids of people and visits are left out: the Person column names them.
 */

/** Detail fields that only repeat what the Person column shows, or say nothing to a reader. */
const HIDDEN = new Set(['agencyId', 'sharing', 'services', 'participantId', 'mergedId', 'participantIds', 'participants', 'people', 'visitIds', 'kioskStartedBy', 'offset', 'filter', 'before', 'after'])

type Words = (key: string, values?: Record<string, unknown>) => string

function loose(t: TFunction): Words {
  return t as unknown as Words
}

function exists(t: TFunction, key: string): boolean {
  // i18next returns the key itself for a key its catalog lacks.
  return loose(t)(key) !== key
}

/** "Opened the profile"; an action the catalog does not know (an old row) as it was written. */
export function actionText(t: TFunction, action: string): string {
  const key = `audit.actionNames.${action}`
  return exists(t, key) ? loose(t)(key) : action
}

function valueText(t: TFunction, value: unknown): string | null {
  if (typeof value === 'boolean') return loose(t)(value ? 'audit.yes' : 'audit.no')
  if (typeof value === 'number' || typeof value === 'string') return String(value)
  if (Array.isArray(value) && value.every((item) => typeof item === 'string' || typeof item === 'number')) return value.join(', ')
  return null
}

/** "100 rows of 1,432", or "Referral: 12 · Shared under a consent: yes". */
export function detailText(t: TFunction, row: Pick<AuditRow, 'action' | 'detail' | 'agencyName'>, language: Language): string {
  const detail = row.detail ?? {}
  if (!row.detail && !row.agencyName) return ''
  const values: Record<string, string> = {}
  for (const [key, value] of Object.entries(detail)) {
    const text = typeof value === 'number' ? value.toLocaleString(language) : valueText(t, value)
    if (text !== null) values[key] = text
  }
  // Words for what the row stores as ids and keys: the agency's name, the kind of referral, what a consent lets out.
  if (row.agencyName) values.agency = row.agencyName
  if (typeof detail.type === 'string' && exists(t, `referrals.type.${detail.type}`)) values.type = loose(t)(`referrals.type.${detail.type}`)
  if (Array.isArray(detail.information)) values.information = detail.information.map((kind) => (exists(t, `consents.info.${String(kind)}`) ? loose(t)(`consents.info.${String(kind)}`) : String(kind))).join(', ')
  if (typeof detail.shared === 'boolean') values.sharing = loose(t)(detail.shared ? 'audit.sharedYes' : 'audit.sharedNo')
  const sentenceKey = `audit.details.${row.action}`
  if (exists(t, sentenceKey)) {
    const sentence = loose(t)(sentenceKey)
    const needs = [...sentence.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1]!)
    if (needs.every((name) => name in values)) return loose(t)(sentenceKey, values)
  }
  return Object.keys(values)
    .filter((key) => !HIDDEN.has(key))
    .map((key) => `${exists(t, `audit.detailKeys.${key}`) ? loose(t)(`audit.detailKeys.${key}`) : key}: ${values[key]}`)
    .join(' · ')
}

/**
 * "DeShawn Moore · K7Q2MX". A merged record is shown under the person it was merged into, its
 * own name, code and old number beneath ("Deshawn M · ABC123 · record #1432, merged"), so the row
 * reads as the person's and the old id is still there to find.
 */
export function personText(t: TFunction, person: AuditPerson): { primary: string; secondary: string | null } {
  if (person.removed) return { primary: `${loose(t)('audit.removedPerson', { id: person.id })} · ${person.code}`, secondary: null }
  const own = [fullName(person) || loose(t)('audit.recordNumber', { id: person.id }), person.code].join(' · ')
  if (!person.mergedInto) return { primary: own, secondary: null }
  const home = person.mergedInto
  return {
    primary: [fullName(home) || loose(t)('audit.recordNumber', { id: home.id }), home.code].join(' · '),
    secondary: loose(t)('audit.mergedRecord', { name: own, id: person.id }),
  }
}
