import { Textarea } from '@mantine/core'
import { useTranslation } from 'react-i18next'

export const REASON_MAX = 300

/** Why a saved visit is being changed: required, kept with the change for the audit trail. */
export function ReasonField({ value, error, onChange }: { value: string; error: string | null; onChange: (value: string) => void }) {
  const { t } = useTranslation()
  return (
    <Textarea
      label={t('visitEdit.reason')}
      description={t('visitEdit.reasonHint')}
      required
      autosize
      minRows={2}
      maxRows={5}
      maxLength={REASON_MAX}
      value={value}
      error={error}
      onChange={(event) => onChange(event.currentTarget.value)}
      data-reason
    />
  )
}
