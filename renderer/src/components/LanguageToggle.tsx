import { SegmentedControl } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import { currentLanguage, setLanguage, type Language } from '../i18n'

/** EN / ES; the choice is remembered on this computer (see i18n/index.ts). */
export function LanguageToggle() {
  const { t } = useTranslation()
  return (
    <SegmentedControl
      aria-label={t('app.language')}
      size="md"
      // 40px targets, like every other control on the desk.
      styles={{ label: { minHeight: 40, display: 'flex', alignItems: 'center', justifyContent: 'center' } }}
      value={currentLanguage()}
      onChange={(value) => void setLanguage(value as Language)}
      data={[
        { value: 'en', label: <span title={t('app.languageEnglish')} lang="en">EN</span> },
        { value: 'es', label: <span title={t('app.languageSpanish')} lang="es">ES</span> },
      ]}
    />
  )
}
