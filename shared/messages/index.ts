/**
 * The one catalog of what main says to people, shared by main (English, for the admin command
 * line and the logs) and the renderer (the screen's language). Pure: no imports but its own
 * catalogs, so the renderer may import it without reaching into db/ or electron/. The renderer
 * imports only its types from here: it reads the screen's language's catalog alone, through
 * renderer/src/i18n/messages.ts and format.ts, not both catalogs on the first screen.
 */
import { en } from './en'
import { es } from './es'
import { formatFrom, type Catalog, type MessageKey, type MessageLanguage, type MessageParams, type MessageRef } from './format'

export type { Catalog, MessageKey, MessageLanguage, MessageParams, MessageRef }

/** The {{names}} in one sentence. */
type PlaceholdersIn<S extends string> = S extends `${string}{{${infer Name}}}${infer Rest}` ? Name | PlaceholdersIn<Rest> : never
type PlaceholdersOf<E> = E extends string ? PlaceholdersIn<E> : E extends { one: infer One extends string; other: infer Other extends string } ? PlaceholdersIn<One> | PlaceholdersIn<Other> | 'count' : never

/** The placeholders a key's sentence needs (never when it needs none). */
export type ParamName<K extends MessageKey> = PlaceholdersOf<(typeof en)[K]>

/** A placeholder's value: text, a number, or another message worded in the same language (a field's name). */
export type ParamValue = string | number | MessageRef

/** A key with the values its placeholders need, checked at compile time. */
export type Message<K extends MessageKey = MessageKey> = [ParamName<K>] extends [never]
  ? { readonly key: K; readonly params?: MessageParams }
  : { readonly key: K; readonly params: MessageParams & Readonly<Record<ParamName<K>, ParamValue>> }

/** Builds a message; the compiler refuses a key not in the catalog and a missing placeholder. */
export function message<K extends MessageKey>(key: K, ...params: [ParamName<K>] extends [never] ? [params?: MessageParams] : [params: MessageParams & Readonly<Record<ParamName<K>, ParamValue>>]): MessageRef {
  return params[0] === undefined ? { key } : { key, params: params[0] }
}

export const CATALOGS: Readonly<Record<MessageLanguage, Catalog>> = { en, es }

export function isMessageKey(value: unknown): value is MessageKey {
  return typeof value === 'string' && Object.hasOwn(en, value)
}

export function isMessageRef(value: unknown): value is MessageRef {
  return value !== null && typeof value === 'object' && isMessageKey((value as { key?: unknown }).key)
}

/** A message worded in a language (the catalogs have the same keys: test/unit/messages.test.ts). */
export function formatMessage(language: MessageLanguage, key: MessageKey, params: MessageParams = {}): string {
  return formatFrom(CATALOGS[language], language, key, params)
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
