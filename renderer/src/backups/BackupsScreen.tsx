import { Alert, Badge, Button, Group, NumberInput, Paper, Progress, Select, Skeleton, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { useForm } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { IconAlertTriangle, IconCircleCheck, IconDatabaseExport, IconDeviceFloppy, IconFolderOpen, IconRestore, IconServer } from '@tabler/icons-react'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { formatMessage } from '../i18n/messages'
import { FormAlert } from '../components/FormAlert'
import { useBackupList, useBackupOverview, useBackupProgress, useChooseBackupFolder, useRunBackup, useSaveBackupSettings } from '../hooks/queries'
import { currentLanguage } from '../i18n'
import { fieldErrors } from '../lib/errors'
import { focusFirstError } from '../lib/forms'
import { formatDate, formatTime } from '../lib/format'
import type { BackupListing, BackupOverview } from '../lib/types'
import { ExportPanel } from './ExportPanel'
import { IntegrityCheckPanel } from './IntegrityCheckPanel'
import { NewRecoveryKey } from './NewRecoveryKey'
import { RestoreDialog } from './RestoreDialog'

const STEPS = ['copying', 'verifying', 'rotating'] as const

export function formatWhen(iso: string): string {
  const language = currentLanguage()
  return `${formatDate(iso, language)} ${formatTime(iso, language)}`
}

export function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`
}

/** Admins: where and when backups go, a backup now with its progress, the list, restore, and the recovery key. */
export function BackupsScreen() {
  const { t } = useTranslation()
  const headingId = useId()
  const overview = useBackupOverview()
  const onServer = Boolean(overview.data?.server)
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={headingId}>
      <Stack gap="lg" maw={900}>
        <Title order={1} size="h3" id={headingId}>
          {t('backups.title')}
        </Title>
        {/* On the server the copies are pg_dump's (not encrypted) and there is no recovery key: ServerBackups says what is. */}
        {onServer ? null : <Text c="dimmed">{t('backups.intro')}</Text>}
        {overview.isPending ? <Skeleton h={300} /> : overview.isError ? <FormAlert error={overview.error} /> : <BackupsBody overview={overview.data} />}
        {onServer ? null : <NewRecoveryKey />}
      </Stack>
    </Paper>
  )
}

function BackupsBody({ overview }: { overview: BackupOverview }) {
  const hasFolder = overview.settings.folder !== null
  if (overview.server) return <ServerBackups overview={overview} server={overview.server} />
  return (
    <>
      <BackupSettingsForm key={overview.settings.savedAt ?? 'new'} overview={overview} />
      {hasFolder ? <BackupNow overview={overview} /> : null}
      <IntegrityCheckPanel lastCheck={overview.lastCheck} />
      {hasFolder ? <BackupList /> : null}
      <ExportPanel />
    </>
  )
}

/**
 * Records on the center's PostgreSQL server: its own backups are the primary ones and restore is
 * the server's; a pg_dump copy may be kept too, on demand from a PC that has pg_dump, or on the
 * schedule, made by one such PC at a time.
 */
function ServerBackups({ overview, server }: { overview: BackupOverview; server: NonNullable<BackupOverview['server']> }) {
  const { t } = useTranslation()
  return (
    <>
      <Alert color="blue" variant="light" icon={<IconServer aria-hidden />} title={t('backups.serverTitle')}>
        {t('backups.serverPrimary', { where: server.where })}
      </Alert>
      <Text>{t('backups.serverExtra')}</Text>
      <BackupSettingsForm key={overview.settings.savedAt ?? 'new'} overview={overview} onServer />
      {server.pgDump === null ? (
        <Alert color="yellow" variant="light" icon={<IconAlertTriangle aria-hidden />} title={t('backups.pgDumpMissingTitle')}>
          {t('backups.pgDumpMissing')}
        </Alert>
      ) : overview.settings.folder !== null ? (
        <BackupNow overview={overview} pgDump />
      ) : null}
      <ExportPanel />
    </>
  )
}

type ScheduleKind = 'off' | 'daily' | 'hourly'

/** The form's fields main may refuse; a refusal of one is said under it, in the screen's language. */
const SERVER_FIELDS = ['folder', 'keepDaily', 'keepWeekly'] as const

/** `onServer`: the pg_dump copies' folder, schedule and how many are kept (rotated as the file backups are). */
function BackupSettingsForm({ overview, onServer = false }: { overview: BackupOverview; onServer?: boolean }) {
  const { t } = useTranslation()
  const save = useSaveBackupSettings()
  const choose = useChooseBackupFolder()
  const { settings } = overview
  const form = useForm({
    initialValues: {
      folder: settings.folder ?? '',
      kind: settings.schedule.kind as ScheduleKind,
      time: settings.schedule.kind === 'daily' ? settings.schedule.time : '18:00',
      every: settings.schedule.kind === 'hourly' ? settings.schedule.every : 4,
      keepDaily: settings.keepDaily,
      keepWeekly: settings.keepWeekly,
    },
    validate: {
      folder: (value) => (value.trim() ? null : t('backups.folderRequired')),
      time: (value, values) => (values.kind === 'daily' && !/^([01]\d|2[0-3]):[0-5]\d$/.test(value) ? t('backups.timeInvalid') : null),
    },
  })
  const submit = form.onSubmit((values) => {
    const schedule =
      values.kind === 'daily' ? { kind: 'daily' as const, time: values.time } : values.kind === 'hourly' ? { kind: 'hourly' as const, every: Number(values.every) } : { kind: 'off' as const }
    save.mutate(
      { folder: values.folder.trim(), schedule, keepDaily: Number(values.keepDaily), keepWeekly: Number(values.keepWeekly) },
      {
        onSuccess: () => notifications.show({ color: 'green', title: t('settings.savedTitle'), message: t('backups.settingsSaved') }),
        onError: (error) => {
          const errors = fieldErrors(error, SERVER_FIELDS)
          form.setErrors(errors)
          focusFirstError(errors)
        },
      },
    )
  }, focusFirstError)
  const alertError = save.error && Object.keys(fieldErrors(save.error, SERVER_FIELDS)).length === 0 ? save.error : null

  return (
    <form noValidate onSubmit={submit} aria-label={t(onServer ? 'backups.serverFolderTitle' : 'backups.settingsTitle')}>
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t(onServer ? 'backups.serverFolderTitle' : 'backups.settingsTitle')}
        </Title>
        <Group align="flex-end" wrap="nowrap">
          <TextInput style={{ flex: 1 }} label={t('backups.folder')} description={t('backups.folderHint')} spellCheck={false} required maxLength={1000} {...form.getInputProps('folder')} />
          <Button
            variant="default"
            leftSection={<IconFolderOpen aria-hidden size={18} />}
            loading={choose.isPending}
            onClick={() => choose.mutate(undefined, { onSuccess: (folder) => folder !== null && form.setFieldValue('folder', folder) })}
          >
            {t('backups.chooseFolder')}
          </Button>
        </Group>
        <FormAlert error={choose.error} />
        <Group align="flex-start" grow>
              <Select
                label={t('backups.schedule')}
                allowDeselect={false}
                data={[
                  { value: 'daily', label: t('backups.scheduleDaily') },
                  { value: 'hourly', label: t('backups.scheduleHourly') },
                  { value: 'off', label: t('backups.scheduleOff') },
                ]}
                {...form.getInputProps('kind')}
              />
              {form.values.kind === 'daily' ? <TextInput type="time" label={t('backups.time')} {...form.getInputProps('time')} /> : null}
              {form.values.kind === 'hourly' ? <NumberInput label={t('backups.everyHours')} min={1} max={168} allowDecimal={false} {...form.getInputProps('every')} /> : null}
        </Group>
        {onServer ? (
          <Text size="sm" c="dimmed">
            {t('backups.pgDumpScheduleHint')}
          </Text>
        ) : null}
        {/* The same counts keep the file backups and, on the server, pg_dump's copies (older ones are deleted after each good copy). */}
        <Group align="flex-start" grow>
          <NumberInput label={t('backups.keepDaily')} description={t('backups.keepDailyHint')} min={1} max={365} allowDecimal={false} {...form.getInputProps('keepDaily')} />
          <NumberInput label={t('backups.keepWeekly')} description={t('backups.keepWeeklyHint')} min={0} max={520} allowDecimal={false} {...form.getInputProps('keepWeekly')} />
        </Group>
        <FormAlert error={alertError} />
        <Group justify="flex-end">
          <Button type="submit" leftSection={<IconDeviceFloppy aria-hidden size={18} />} loading={save.isPending}>
            {t('backups.saveSettings')}
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

/** `pgDump`: on the server, the copy is pg_dump's (on demand here, or on the schedule by one of the center's PCs). */
function BackupNow({ overview, pgDump = false }: { overview: BackupOverview; pgDump?: boolean }) {
  const { t } = useTranslation()
  const run = useRunBackup()
  const progress = useBackupProgress(run.isPending)
  const step = progress.data?.step
  const index = step ? STEPS.indexOf(step as (typeof STEPS)[number]) : -1
  const { last, nextRunAt } = overview
  return (
    <Stack gap="sm">
      <Title order={2} size="h4">
        {t('backups.nowTitle')}
      </Title>
      {last && !last.ok ? (
        <Alert color="red" variant="light" icon={<IconAlertTriangle aria-hidden />} title={t('backups.lastFailed', { when: formatWhen(last.at) })}>
          {last.errorRef ? formatMessage(currentLanguage(), last.errorRef.key, last.errorRef.params) : last.error}
        </Alert>
      ) : null}
      <Text size="sm">
        {pgDump ? (
          <>
            {overview.lastSuccess ? t('backups.pgDumpLastGood', { when: formatWhen(overview.lastSuccess.at), file: overview.lastSuccess.file }) : t('backups.pgDumpNever')}{' '}
            {nextRunAt ? t('backups.pgDumpNextRun', { when: formatWhen(nextRunAt) }) : t('backups.noSchedule')}
          </>
        ) : (
          <>
            {overview.lastSuccess ? t('backups.lastGood', { when: formatWhen(overview.lastSuccess.at) }) : t('backups.neverBackedUp')}{' '}
            {nextRunAt ? t('backups.nextRun', { when: formatWhen(nextRunAt) }) : t('backups.noSchedule')}
          </>
        )}
      </Text>
      <Group>
        <Button
          leftSection={<IconDatabaseExport aria-hidden size={18} />}
          loading={run.isPending}
          onClick={() =>
            run.mutate(undefined, {
              onSuccess: (made) => notifications.show({ color: 'green', title: t('backups.doneTitle'), message: t('backups.doneBody', { file: made.file }) }),
            })
          }
        >
          {t(pgDump ? 'backups.pgDumpNow' : 'backups.now')}
        </Button>
      </Group>
      {run.isPending ? (
        <Stack gap={4}>
          <Progress value={index < 0 ? 10 : ((index + 1) / (STEPS.length + 1)) * 100} animated aria-label={t('backups.progressLabel')} />
          <Text size="sm" c="dimmed" aria-live="polite">
            {t(`backups.step.${step ?? 'copying'}`)}
          </Text>
        </Stack>
      ) : null}
      <FormAlert error={run.error} />
    </Stack>
  )
}

function StatusBadge({ status }: { status: BackupListing['status'] }) {
  const { t } = useTranslation()
  if (status === 'verified') {
    return (
      <Badge color="green" variant="light" leftSection={<IconCircleCheck aria-hidden size={14} />}>
        {t('backups.status.verified')}
      </Badge>
    )
  }
  return (
    <Badge color={status === 'changed' ? 'red' : 'gray'} variant="light">
      {t(`backups.status.${status}`)}
    </Badge>
  )
}

function BackupList() {
  const { t } = useTranslation()
  const list = useBackupList(true)
  const [restoring, setRestoring] = useState<BackupListing | null>(null)
  return (
    <Stack gap="sm">
      <Title order={2} size="h4">
        {t('backups.listTitle')}
      </Title>
      {list.isPending ? <Skeleton h={120} /> : null}
      {list.isError ? <FormAlert error={list.error} /> : null}
      {list.data && list.data.length === 0 ? <Text c="dimmed">{t('backups.none')}</Text> : null}
      {list.data && list.data.length > 0 ? (
        <Table verticalSpacing="xs" aria-label={t('backups.listTitle')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('backups.made')}</Table.Th>
              <Table.Th scope="col">{t('backups.size')}</Table.Th>
              <Table.Th scope="col">{t('backups.people')}</Table.Th>
              <Table.Th scope="col">{t('backups.visits')}</Table.Th>
              <Table.Th scope="col">{t('backups.check')}</Table.Th>
              <Table.Th scope="col">
                <span className="pl-visually-hidden">{t('backups.actions')}</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.map((backup) => (
              <Table.Tr key={backup.file}>
                <Table.Th scope="row" fw={500}>
                  {formatWhen(backup.createdAt)}
                </Table.Th>
                <Table.Td>{formatSize(backup.bytes)}</Table.Td>
                <Table.Td>{backup.counts?.participants ?? '—'}</Table.Td>
                <Table.Td>{backup.counts?.visits ?? '—'}</Table.Td>
                <Table.Td>
                  <StatusBadge status={backup.status} />
                </Table.Td>
                <Table.Td>
                  <Button
                    size="xs"
                    variant="default"
                    leftSection={<IconRestore aria-hidden size={16} />}
                    aria-label={t('backups.restoreFrom', { when: formatWhen(backup.createdAt) })}
                    onClick={() => setRestoring(backup)}
                  >
                    {t('backups.restore')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
      <RestoreDialog backup={restoring} onClose={() => setRestoring(null)} />
    </Stack>
  )
}
