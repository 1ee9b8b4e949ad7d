import { formatFrom, type Catalog, type MessageKey, type MessageLanguage, type MessageParams } from '../../../shared/messages/format'

/**
 * Main's messages (shared/messages) in the languages read so far. Each language's catalog is a
 * chunk of its own, read with the screen's words (i18n/index.ts loadLanguage): the first screen
 * carries one language, not both (issue 11, cold start).
 */
const catalogs: Partial<Record<MessageLanguage, Catalog>> = {}

const LOADERS: Record<MessageLanguage, () => Promise<Catalog>> = {
  en: () => import('../../../shared/messages/en').then((m) => m.en),
  es: () => import('../../../shared/messages/es').then((m) => m.es),
}

export async function loadMessages(language: MessageLanguage): Promise<void> {
  catalogs[language] ??= await LOADERS[language]()
}

/**
 * A message worded in a language. The screen's language is always loaded (the app renders only
 * once it is); any other loaded one stands in rather than throw.
 */
export function formatMessage(language: MessageLanguage, key: MessageKey, params: MessageParams = {}): string {
  const loaded = catalogs[language] ? language : (['en', 'es'] as const).find((other) => catalogs[other])
  return loaded ? formatFrom(catalogs[loaded]!, loaded, key, params) : key
}
