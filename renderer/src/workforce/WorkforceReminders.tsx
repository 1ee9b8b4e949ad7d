import { Alert, Button, Group, List, Text } from '@mantine/core'
import { IconCertificate } from '@tabler/icons-react'
import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import type { WorkforceReminder } from '../../../electron/ipc/contract'
import { currentLanguage } from '../i18n'
import { formatDay } from '../referrals/labels'
import { hours } from './format'
import { useWorkforceReminders } from '../hooks/queries'

export function reminderText(reminder: WorkforceReminder, t: TFunction, language: string, own: boolean): string {
  const who = own ? t('workforce.reminders.you') : reminder.displayName
  if (reminder.kind === 'unconfirmed') return t('workforce.reminders.unconfirmed', { name: who, count: reminder.count })
  const kind = language === 'es' ? reminder.kindNameEs : reminder.kindNameEn
  const date = formatDay(reminder.date, language)
  if (reminder.kind === 'expired') return t('workforce.reminders.expired', { name: who, kind, date })
  if (reminder.kind === 'expiring') return t('workforce.reminders.expiring', { name: who, kind, date, count: reminder.days })
  return t('workforce.reminders.short', { name: who, kind, date, hours: hours(reminder.missingHours, language) })
}

/**
 * Credentials expiring within 60 days (or expired) and periods ending within 90 days with training
 * hours still missing: on the manager's home for everyone, on a specialist's screen for themselves.
 * Nothing shows when nothing is due.
 */
export function WorkforceReminders({ own, onOpen }: { own: boolean; onOpen: () => void }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const reminders = useWorkforceReminders()
  const list = reminders.data ?? []
  if (list.length === 0) return null
  const urgent = list.some((r) => r.kind === 'expired')
  return (
    <Alert color={urgent ? 'red' : 'orange'} variant="light" icon={<IconCertificate aria-hidden />} title={own ? t('workforce.reminders.mine') : t('workforce.reminders.title')} data-testid="workforce-reminders">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <List size="sm" spacing={2}>
          {list.slice(0, 8).map((r) => (
            <List.Item key={`${r.kind}-${r.staffId}-${'credentialId' in r ? r.credentialId : 0}`}>{reminderText(r, t, language, own)}</List.Item>
          ))}
        </List>
        <Button size="xs" variant="default" onClick={onOpen}>
          {t('workforce.reminders.open')}
        </Button>
      </Group>
      {list.length > 8 ? (
        <Text size="sm" mt={4}>
          {t('workforce.reminders.more', { count: list.length - 8 })}
        </Text>
      ) : null}
    </Alert>
  )
}
