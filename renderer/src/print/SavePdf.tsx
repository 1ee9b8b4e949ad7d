import { Alert, Button, Text } from '@mantine/core'
import { IconFileTypePdf } from '@tabler/icons-react'
import { useMutation } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import type { SavedPdf } from '../../../electron/ipc/contract'
import { FormAlert } from '../components/FormAlert'

/**
 * "Save as PDF": main prints this window's page and writes the file where the person chooses
 * (electron/ipc/printing.ts). Beside a plain "Print" button, which sends the same page to paper:
 * a drop-in center without a PDF reader still needs that.
 */
export function useSavePdf(save: () => Promise<SavedPdf>) {
  return useMutation({ mutationFn: save })
}

export function SavePdfButton({ saving, label, disabled }: { saving: ReturnType<typeof useSavePdf>; label: string; disabled?: boolean }) {
  return (
    <Button variant="default" leftSection={<IconFileTypePdf aria-hidden size={18} />} onClick={() => saving.mutate()} loading={saving.isPending} disabled={disabled}>
      {label}
    </Button>
  )
}

/** Where the file went, or why it did not; nothing after a cancelled dialog (nothing was written). */
export function SavedPdfOutcome({ saving }: { saving: ReturnType<typeof useSavePdf> }) {
  const { t } = useTranslation()
  if (saving.error) return <FormAlert error={saving.error} />
  const file = saving.data?.file
  if (!file) return null
  return (
    <Alert color="teal" variant="light" role="status">
      <Text size="sm">{t('print.saved', { file })}</Text>
    </Alert>
  )
}
