import { SegmentedControl } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import { currentLanguage, setLanguage, type Language } from '../i18n'

/** EN / ES; the choice is remembered on this computer (see i18n/index.ts). */
export function LanguageToggle({ large = false }: { large?: boolean }) {
  const { t } = useTranslation()
  return (
    <SegmentedControl
      aria-label={t('app.language')}
      size={large ? 'xl' : 'md'}
      // 40px targets at the desk; 64px on the kiosk's touch screen.
      styles={{
        label: { minHeight: large ? 64 : 40, minWidth: large ? 80 : undefined, display: 'flex', alignItems: 'center', justifyContent: 'center', fontWeight: large ? 700 : undefined },
      }}
      value={currentLanguage()}
      onChange={(value) => void setLanguage(value as Language)}
      data={[
        { value: 'en', label: <span title={t('app.languageEnglish')} lang="en">EN</span> },
        { value: 'es', label: <span title={t('app.languageSpanish')} lang="es">ES</span> },
      ]}
    />
  )
}
