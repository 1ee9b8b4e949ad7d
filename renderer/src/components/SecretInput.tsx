import { PasswordInput, type PasswordInputProps } from '@mantine/core'
import type { Ref } from 'react'
import { useTranslation } from 'react-i18next'

/**
 * PasswordInput whose show/hide button is labelled in the desk's language (not Mantine's
 * English) and is a 40px target like every other button.
 */
export function SecretInput(props: PasswordInputProps & { ref?: Ref<HTMLInputElement> }) {
  const { t } = useTranslation()
  return (
    <PasswordInput
      visibilityToggleButtonProps={{ 'aria-label': t('common.togglePassword') }}
      styles={{ visibilityToggle: { width: 40, height: 40, minWidth: 40, minHeight: 40 } }}
      {...props}
    />
  )
}
