import { Alert, Button, Group, Text } from '@mantine/core'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'

interface Props {
  /** A problem to say above the buttons, in the screen's language. */
  problem: string | null
  /** The step's main action: a submit button of the step's form. */
  submitLabel: string
  submitIcon: ReactNode
  loading: boolean
  onCancel: () => void
}

/** The bottom of a kiosk step: what went wrong, "Start over" and the step's big button, the desk. */
export function KioskFooter({ problem, submitLabel, submitIcon, loading, onCancel }: Props) {
  const { t } = useTranslation()
  return (
    <>
      {problem ? (
        <Alert color="red" variant="light" role="alert" styles={{ message: { fontSize: 22 } }}>
          {problem}
        </Alert>
      ) : null}
      <Group justify="space-between" className="pl-kiosk-actions">
        <Button variant="default" size="xl" h={72} fz={24} onClick={onCancel}>
          {t('kiosk.cancel')}
        </Button>
        <Button type="submit" size="xl" h={80} px={48} fz={28} leftSection={submitIcon} loading={loading}>
          {submitLabel}
        </Button>
      </Group>
      <Text fz={20} c="dimmed" ta="center">
        {t('kiosk.askDesk')}
      </Text>
    </>
  )
}
