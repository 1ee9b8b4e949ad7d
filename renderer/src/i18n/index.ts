import i18next from 'i18next'
import { initReactI18next } from 'react-i18next'
import en from './en.json'
import es from './es.json'

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

function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value)
}

/** The desk's last choice, else the computer's language, else English. */
function initialLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY)
  if (isLanguage(stored)) return stored
  return navigator.language.toLowerCase().startsWith('es') ? 'es' : 'en'
}

export function currentLanguage(): Language {
  return isLanguage(i18next.resolvedLanguage) ? i18next.resolvedLanguage : 'en'
}

export async function setLanguage(language: Language): Promise<void> {
  await i18next.changeLanguage(language)
}

i18next.on('languageChanged', (language) => {
  if (isLanguage(language)) localStorage.setItem(STORAGE_KEY, language)
  // Screen readers and the browser's hyphenation follow <html lang>.
  document.documentElement.lang = language
})

void i18next.use(initReactI18next).init({
  resources: { en: { translation: en }, es: { translation: es } },
  lng: initialLanguage(),
  fallbackLng: 'en',
  supportedLngs: LANGUAGES,
  // React already escapes what it renders.
  interpolation: { escapeValue: false },
  returnNull: false,
})
document.documentElement.lang = initialLanguage()

export default i18next
