/**
 * Wording a message from one language's catalog, without importing any catalog: the renderer
 * loads only the screen's language (renderer/src/i18n/messages.ts, issue 11: cold start), main
 * has both (index.ts). Pure, like the rest of shared/messages.
 */
import type { en } from './en'

export type MessageKey = keyof typeof en
export type MessageLanguage = 'en' | 'es'
export type MessageParams = Readonly<Record<string, unknown>>

/** A sentence, or `{ one, other }` when it counts something. */
export type Entry = string | { readonly one: string; readonly other: string }
export type Catalog = Readonly<Record<MessageKey, Entry>>

/** A message as it crosses the IPC bridge: the key and what fills its placeholders. */
export interface MessageRef {
  readonly key: MessageKey
  readonly params?: MessageParams
}

const plurals = new Map<MessageLanguage, Intl.PluralRules>()

function pluralOf(language: MessageLanguage, count: number): 'one' | 'other' {
  let rules = plurals.get(language)
  if (!rules) {
    rules = new Intl.PluralRules(language)
    plurals.set(language, rules)
  }
  return rules.select(count) === 'one' ? 'one' : 'other'
}

/** A message given as a placeholder's value (a field's name): a key of the catalog. */
function isRefIn(catalog: Catalog, value: unknown): value is MessageRef {
  if (value === null || typeof value !== 'object') return false
  const key = (value as { key?: unknown }).key
  return typeof key === 'string' && Object.hasOwn(catalog, key)
}

/**
 * A message worded from `catalog` (the catalog of `language`). A placeholder without a value is
 * left as {{name}}, so a mistake shows instead of silently reading well; a nested message is
 * worded from the same catalog.
 */
export function formatFrom(catalog: Catalog, language: MessageLanguage, key: MessageKey, params: MessageParams = {}): string {
  const entry = catalog[key]
  const count = params.count
  const text = typeof entry === 'string' ? entry : entry[typeof count === 'number' ? pluralOf(language, count) : 'other']
  return text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
    if (!Object.hasOwn(params, name)) return whole
    const value = params[name]
    return isRefIn(catalog, value) ? formatFrom(catalog, language, value.key, value.params) : String(value)
  })
}
