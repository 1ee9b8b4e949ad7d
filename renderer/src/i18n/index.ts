import i18next from 'i18next'
import { initReactI18next } from 'react-i18next'
import type en from './en.json'
import { loadMessages } from './messages'

export const LANGUAGES = ['en', 'es'] as const
export type Language = (typeof LANGUAGES)[number]

const STORAGE_KEY = 'porchlight.language'

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation'
    // English is the source of truth for keys; a key missing here fails to compile.
    resources: { translation: typeof en }
  }
}

type Words = { [key: string]: string | Words }

/**
 * Each language's words are a chunk of their own, read when the language is first used: the
 * first screen parses one language, not both (issue 11, cold start).
 */
const WORDS: Record<Language, () => Promise<{ default: Words }>> = {
  en: () => import('./en.json'),
  es: () => import('./es.json'),
}

function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value)
}

/**
 * The desk's last choice, else the computer's language, else English. public/early-status.js
 * makes the same choice to ask for the words early: change both together.
 */
function initialLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY)
  if (isLanguage(stored)) return stored
  return navigator.language.toLowerCase().startsWith('es') ? 'es' : 'en'
}

/**
 * Spanish counts a round million as "many" (Intl.PluralRules), a form the catalog does not
 * write: it reads as "other". English used to stand in for it; now only one language is loaded.
 */
function withManyAsOther(words: Words): Words {
  const result: Words = {}
  for (const [key, value] of Object.entries(words)) {
    result[key] = typeof value === 'string' ? value : withManyAsOther(value)
    const stem = key.endsWith('_other') ? key.slice(0, -'_other'.length) : null
    if (stem !== null && !(`${stem}_many` in words)) result[`${stem}_many`] = value
  }
  return result
}

const loading = new Map<Language, Promise<Words>>()

/** Reads a language's words, and main's messages in it, once; the same promise after. */
function readLanguage(language: Language): Promise<Words> {
  let read = loading.get(language)
  if (!read) {
    read = Promise.all([WORDS[language](), loadMessages(language)]).then(([words]) => (language === 'es' ? withManyAsOther(words.default) : words.default))
    // A failed read may be tried again by the next switch.
    read.catch(() => loading.delete(language))
    loading.set(language, read)
  }
  return read
}

/** Makes a language ready to show (a printed sheet in the other language, a switch). */
export async function loadLanguage(language: Language): Promise<void> {
  const words = await readLanguage(language)
  await firstLanguage
  if (!i18next.hasResourceBundle(language, 'translation')) i18next.addResourceBundle(language, 'translation', words)
}

export function currentLanguage(): Language {
  return isLanguage(i18next.resolvedLanguage) ? i18next.resolvedLanguage : 'en'
}

/** The words are read first: the screen keeps the old language until the new one can show. */
export async function setLanguage(language: Language): Promise<void> {
  await loadLanguage(language)
  await i18next.changeLanguage(language)
}

i18next.on('languageChanged', (language) => {
  if (isLanguage(language)) localStorage.setItem(STORAGE_KEY, language)
  // Screen readers and the browser's hyphenation follow <html lang>.
  document.documentElement.lang = language
})

const first = initialLanguage()
document.documentElement.lang = first
i18next.use(initReactI18next)

/**
 * The first screen's language, asked for as these modules run; main.tsx renders once it is in.
 * i18next starts with its words (it settles the resolved language from what it holds).
 */
export const firstLanguage: Promise<void> = readLanguage(first)
  .catch((error: unknown) => {
    // Not expected (the chunk is part of the app): keys on screen beat no screen.
    console.error('Could not read the words of the language', first, error)
    return {}
  })
  .then(async (words) => {
    await i18next.init({
      resources: { [first]: { translation: words } },
      lng: first,
      fallbackLng: 'en',
      supportedLngs: LANGUAGES,
      // React already escapes what it renders.
      interpolation: { escapeValue: false },
      returnNull: false,
    })
  })

export default i18next
