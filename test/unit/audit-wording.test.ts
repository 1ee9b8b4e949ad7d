import { describe, expect, it } from 'vitest'
import { AUDIT_ACTIONS, DISCLOSURE_ACTIONS } from '../../db/audit-actions'
import en from '../../renderer/src/i18n/en.json'
import es from '../../renderer/src/i18n/es.json'

/*
 * The audit viewer words every action in the screen's language (audit.actionNames.<action>).
 * appendAudit takes only the actions of db/audit-actions.ts (a type), so a new action is listed
 * there first, and this test fails until both catalogs word it.
 */

type Catalog = typeof en

function lookup(catalog: Catalog, section: 'actionNames' | 'details', action: string): unknown {
  const [group, name] = action.split('.') as [string, string]
  const groups = catalog.audit[section] as Record<string, Record<string, unknown> | undefined>
  return groups[group]?.[name]
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1]!).sort()
}

/** Every "group.name" a section of the catalog words. */
function worded(catalog: Catalog, section: 'actionNames' | 'details'): string[] {
  return Object.entries(catalog.audit[section] as Record<string, Record<string, string>>).flatMap(([group, names]) => Object.keys(names).map((name) => `${group}.${name}`))
}

function missingWording(actions: readonly string[]): string[] {
  return actions.flatMap((action) =>
    (['en', 'es'] as const).flatMap((language) => {
      const text = lookup(language === 'en' ? en : es, 'actionNames', action)
      return typeof text === 'string' && text.trim() !== '' ? [] : [`${language}: ${action}`]
    }),
  )
}

describe('audit actions in plain words', () => {
  it('words every action the code writes, in English and in Spanish', () => {
    expect(missingWording(AUDIT_ACTIONS)).toEqual([])
  })

  it('would notice an action without wording', () => {
    expect(missingWording([...AUDIT_ACTIONS, 'participant.teleport'])).toEqual(['en: participant.teleport', 'es: participant.teleport'])
  })

  it('words no action that is not written, and a Spanish screen reads Spanish', () => {
    expect(worded(en, 'actionNames').sort()).toEqual([...AUDIT_ACTIONS].sort())
    expect(worded(es, 'actionNames').sort()).toEqual([...AUDIT_ACTIONS].sort())
    const same = AUDIT_ACTIONS.filter((action) => lookup(en, 'actionNames', action) === lookup(es, 'actionNames', action))
    expect(same).toEqual([])
  })

  it('words details only for written actions, with the same values in both languages', () => {
    for (const action of worded(en, 'details')) expect(AUDIT_ACTIONS as readonly string[]).toContain(action)
    expect(worded(es, 'details').sort()).toEqual(worded(en, 'details').sort())
    for (const action of worded(en, 'details')) {
      expect(placeholders(lookup(es, 'details', action) as string), action).toEqual(placeholders(lookup(en, 'details', action) as string))
    }
  })

  it('lists only written actions as disclosures', () => {
    for (const action of DISCLOSURE_ACTIONS) expect(AUDIT_ACTIONS).toContain(action)
  })
})
