import { Button, Group } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import { FormAlert } from './FormAlert'

/** What every dialog form ends with: main's refusal if any, then Cancel and the submit button. */
export function FormFooter({ error, onCancel, submitLabel, pending }: { error: unknown; onCancel: () => void; submitLabel: string; pending: boolean }) {
  const { t } = useTranslation()
  return (
    <>
      <FormAlert error={error} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
        <Button type="submit" loading={pending}>
          {submitLabel}
        </Button>
      </Group>
    </>
  )
}
