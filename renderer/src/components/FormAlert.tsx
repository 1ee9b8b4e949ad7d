import { Alert } from '@mantine/core'
import { IconAlertCircle } from '@tabler/icons-react'
import { useTranslation } from 'react-i18next'
import { currentLanguage } from '../i18n'
import { errorMessage } from '../lib/errors'

/** A refusal from main, read out at once (role=alert) and shown above the form's button. */
export function FormAlert({ error }: { error: unknown }) {
  const { t } = useTranslation()
  if (!error) return null
  return (
    // A server's name (host:port/database) has no spaces to break at: it wraps anywhere rather than overflow.
    <Alert color="red" variant="light" icon={<IconAlertCircle aria-hidden />} role="alert" styles={{ message: { overflowWrap: 'anywhere' } }}>
      {errorMessage(t, currentLanguage(), error)}
    </Alert>
  )
}
