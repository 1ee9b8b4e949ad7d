import { Button, Group } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import { FormAlert } from './FormAlert'

/**
 * What every dialog form ends with: main's refusal if any, then Cancel and the submit button.
 * `cancelLabel` replaces "Cancel" where the submit itself cancels something ("Cancel the session").
 */
export function FormFooter({ error, onCancel, submitLabel, pending, cancelLabel }: { error: unknown; onCancel: () => void; submitLabel: string; pending: boolean; cancelLabel?: string }) {
  const { t } = useTranslation()
  return (
    <>
      <FormAlert error={error} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>
          {cancelLabel ?? t('common.cancel')}
        </Button>
        <Button type="submit" loading={pending}>
          {submitLabel}
        </Button>
      </Group>
    </>
  )
}
