/**
 * The one catalog of what main says to people, shared by main (English, for the admin command
 * line and the logs) and the renderer (the screen's language). Pure: no imports but its own
 * catalogs, so the renderer may import it without reaching into db/ or electron/.
 */
import { en } from './en'
import { es } from './es'

export type MessageKey = keyof typeof en
export type MessageLanguage = 'en' | 'es'

type Entry = string | { readonly one: string; readonly other: string }

/** The {{names}} in one sentence. */
type PlaceholdersIn<S extends string> = S extends `${string}{{${infer Name}}}${infer Rest}` ? Name | PlaceholdersIn<Rest> : never
type PlaceholdersOf<E> = E extends string ? PlaceholdersIn<E> : E extends { one: infer One extends string; other: infer Other extends string } ? PlaceholdersIn<One> | PlaceholdersIn<Other> | 'count' : never

/** The placeholders a key's sentence needs (never when it needs none). */
export type ParamName<K extends MessageKey> = PlaceholdersOf<(typeof en)[K]>

/** A placeholder's value: text, a number, or another message worded in the same language (a field's name). */
export type ParamValue = string | number | MessageRef
export type MessageParams = Readonly<Record<string, unknown>>

/** A message as it crosses the IPC bridge: the key and what fills its placeholders. */
export interface MessageRef {
  readonly key: MessageKey
  readonly params?: MessageParams
}

/** A key with the values its placeholders need, checked at compile time. */
export type Message<K extends MessageKey = MessageKey> = [ParamName<K>] extends [never]
  ? { readonly key: K; readonly params?: MessageParams }
  : { readonly key: K; readonly params: MessageParams & Readonly<Record<ParamName<K>, ParamValue>> }

/** Builds a message; the compiler refuses a key not in the catalog and a missing placeholder. */
export function message<K extends MessageKey>(key: K, ...params: [ParamName<K>] extends [never] ? [params?: MessageParams] : [params: MessageParams & Readonly<Record<ParamName<K>, ParamValue>>]): MessageRef {
  return params[0] === undefined ? { key } : { key, params: params[0] }
}

export const CATALOGS: Readonly<Record<MessageLanguage, Readonly<Record<MessageKey, Entry>>>> = { en, es }

export function isMessageKey(value: unknown): value is MessageKey {
  return typeof value === 'string' && Object.hasOwn(en, value)
}

export function isMessageRef(value: unknown): value is MessageRef {
  return value !== null && typeof value === 'object' && isMessageKey((value as { key?: unknown }).key)
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

/** One placeholder's text; a nested message is worded in the same language. Numbers stay plain (years, 1900). */
function paramText(language: MessageLanguage, value: unknown): string {
  if (isMessageRef(value)) return formatMessage(language, value.key, value.params)
  return String(value)
}

/**
 * A message worded in a language. A placeholder without a value is left as {{name}}, so a
 * mistake shows instead of silently reading well.
 */
export function formatMessage(language: MessageLanguage, key: MessageKey, params: MessageParams = {}): string {
  const entry = CATALOGS[language][key] ?? en[key]
  const count = params.count
  const text = typeof entry === 'string' ? entry : entry[typeof count === 'number' ? pluralOf(language, count) : 'other']
  return text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? paramText(language, params[name]) : whole))
}

/** The English wording, for the command line, the logs and the envelope's `message`. */
export function english(ref: MessageRef): string {
  return formatMessage('en', ref.key, ref.params)
}

/** The placeholders of every wording of a key, for the catalogs' parity test. */
export function placeholdersOf(language: MessageLanguage, key: MessageKey): string[] {
  const entry = CATALOGS[language][key]
  const texts = typeof entry === 'string' ? [entry] : [entry.one, entry.other]
  return [...new Set(texts.flatMap((text) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!)))].sort()
}

export const MESSAGE_KEYS = Object.keys(en) as MessageKey[]
