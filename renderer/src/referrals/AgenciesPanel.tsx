import { Anchor, Badge, Button, Checkbox, Group, Modal, SimpleGrid, Stack, Switch, Text, Textarea, TextInput } from '@mantine/core'
import { useForm } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { IconDownload, IconPlus, IconUpload } from '@tabler/icons-react'
import { createColumnHelper, getCoreRowModel, useReactTable } from '@tanstack/react-table'
import type { TFunction } from 'i18next'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { DataTable } from '../components/DataTable'
import { FormAlert } from '../components/FormAlert'
import { useMay } from '../components/ProfileContext'
import { useAgencies, useSaveAgency, useSetAgencyActive } from '../hooks/queries'
import { currentLanguage, type Language } from '../i18n'
import { fieldErrors, noticeChangedElsewhere } from '../lib/errors'
import { isRealDay, todayIso } from '../lib/fields'
import { focusFirstError } from '../lib/forms'
import type { Agency, ReferralType } from '../lib/types'
import { DirectoryExportDialog, DirectoryImportDialog } from './DirectoryDialogs'
import { formatDay, REFERRAL_TYPES } from './labels'
import { relativeTimeFormat } from '../../../shared/intl'

const column = createColumnHelper<Agency>()

const DAY_MS = 86_400_000

/** How long ago a day was, in the screen's language ("3 months ago"), and whether it is over a year. */
export function verifiedAge(day: string, today: string, language: Language): { text: string; stale: boolean } {
  const days = Math.max(0, Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${day}T00:00:00Z`)) / DAY_MS))
  const format = relativeTimeFormat(language, { numeric: 'auto' })
  const text = days < 45 ? format.format(-days, 'day') : days < 730 ? format.format(-Math.round(days / 30.44), 'month') : format.format(-Math.floor(days / 365.25), 'year')
  return { text, stale: days > 365 }
}

function buildColumns(t: TFunction, language: Language, today: string, onEdit: ((agency: Agency) => void) | null) {
  return [
    column.accessor('name', {
      header: () => t('agencies.name'),
      cell: ({ row: { original } }) => (
        <Stack gap={2}>
          {onEdit ? (
            <Anchor component="button" type="button" fw={600} ta="left" onClick={() => onEdit(original)}>
              {original.name}
            </Anchor>
          ) : (
            <Text fw={600}>{original.name}</Text>
          )}
          {original.active ? null : (
            <Badge color="gray" variant="light" tt="none" w="fit-content">
              {t('agencies.inactive')}
            </Badge>
          )}
        </Stack>
      ),
    }),
    column.accessor('types', {
      header: () => t('agencies.types'),
      cell: (info) => info.getValue().map((type) => t(`referrals.type.${type}`)).join(', '),
    }),
    column.display({
      id: 'contact',
      header: () => t('agencies.contact'),
      cell: ({ row: { original } }) => (
        <Stack gap={0}>
          {[original.contactName, original.phone, original.email].filter(Boolean).map((line) => (
            <Text key={line} size="sm" style={{ whiteSpace: 'nowrap' }}>
              {line}
            </Text>
          ))}
        </Stack>
      ),
    }),
    column.accessor('hours', { header: () => t('agencies.hours'), cell: (info) => <Text size="sm">{info.getValue() ?? ''}</Text> }),
    column.accessor('openReferrals', { header: () => t('agencies.open') }),
    column.accessor('verifiedOn', {
      header: () => t('agencies.verified'),
      cell: (info) => {
        const day = info.getValue()
        if (!day) return <Text size="sm" c="dimmed">{t('agencies.neverVerified')}</Text>
        const age = verifiedAge(day, today, language)
        return (
          <Stack gap={0}>
            <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
              {formatDay(day, language)}
            </Text>
            {/* Default colour, not a warning hue: it must stay readable behind a dialog's overlay too. */}
            <Text size="sm" fw={age.stale ? 700 : 400} title={age.stale ? t('directory.verifiedStale') : undefined} data-testid="verified-age">
              {age.text}
            </Text>
          </Stack>
        )
      },
    }),
  ]
}

/** The resource directory: the partner agencies referrals go to, kept current by the staff who use it. */
export function AgenciesPanel({ labelledBy }: { labelledBy: string }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const canEdit = useMay('agencies.save')
  const canImport = useMay('directory.import')
  const canExport = useMay('directory.export')
  const [transfer, setTransfer] = useState<'import' | 'export' | null>(null)
  const today = todayIso()
  const [showInactive, setShowInactive] = useState(false)
  const [editing, setEditing] = useState<Agency | 'new' | null>(null)
  const agencies = useAgencies(showInactive)
  const columns = useMemo(() => buildColumns(t, language, today, canEdit ? setEditing : null), [t, language, today, canEdit])
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({ data: agencies.data ?? [], columns, getCoreRowModel: getCoreRowModel(), getRowId: (row) => String(row.id) })
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Switch label={t('agencies.showInactive')} checked={showInactive} onChange={(event) => setShowInactive(event.currentTarget.checked)} />
        <Group gap="xs">
          {canImport ? (
            <Button variant="default" leftSection={<IconUpload aria-hidden size={18} />} onClick={() => setTransfer('import')}>
              {t('directory.importButton')}
            </Button>
          ) : null}
          {canExport ? (
            <Button variant="default" leftSection={<IconDownload aria-hidden size={18} />} onClick={() => setTransfer('export')}>
              {t('directory.exportButton')}
            </Button>
          ) : null}
          {canEdit ? (
            <Button leftSection={<IconPlus aria-hidden size={18} />} onClick={() => setEditing('new')}>
              {t('agencies.add')}
            </Button>
          ) : null}
        </Group>
      </Group>
      <DirectoryImportDialog opened={transfer === 'import'} onClose={() => setTransfer(null)} />
      <DirectoryExportDialog opened={transfer === 'export'} onClose={() => setTransfer(null)} />
      <FormAlert error={agencies.error} />
      {agencies.data && agencies.data.length === 0 ? (
        <Text c="dimmed" role="status">
          {t('agencies.none')}
        </Text>
      ) : (
        <DataTable table={table} striped verticalSpacing="sm" aria-labelledby={labelledBy} data-testid="agency-table" />
      )}
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? t('agencies.add') : t('agencies.edit')}
        size="lg"
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        {editing !== null ? <AgencyForm key={editing === 'new' ? 'new' : editing.id} agency={editing === 'new' ? null : editing} onClose={() => setEditing(null)} /> : null}
      </Modal>
    </Stack>
  )
}

function AgencyForm({ agency, onClose }: { agency: Agency | null; onClose: () => void }) {
  const { t } = useTranslation()
  const save = useSaveAgency()
  const setActive = useSetAgencyActive()
  const today = todayIso()
  // The version the form was filled from, not the newest a live refresh brings: a save over another PC's change is refused.
  const [base] = useState(agency?.version)
  const form = useForm({
    initialValues: {
      name: agency?.name ?? '',
      types: (agency?.types ?? []) as ReferralType[],
      contactName: agency?.contactName ?? '',
      phone: agency?.phone ?? '',
      email: agency?.email ?? '',
      address: agency?.address ?? '',
      website: agency?.website ?? '',
      hours: agency?.hours ?? '',
      notes: agency?.notes ?? '',
      verifiedOn: agency?.verifiedOn ?? today,
    },
    validate: {
      name: (value) => (value.trim() ? (value.length > 120 ? t('validation.maxLength', { max: 120 }) : null) : t('agencies.nameRequired')),
      types: (value) => (value.length > 0 ? null : t('agencies.typesRequired')),
      phone: (value) => (/^[0-9+().\-\s]*$/.test(value) ? null : t('validation.phoneChars')),
      email: (value) => (value.trim() === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim()) ? null : t('agencies.emailInvalid')),
      verifiedOn: (value) => (value === '' ? null : !isRealDay(value) ? t('validation.dateInvalid') : value > today ? t('validation.dateFuture') : null),
    },
  })
  const fields = ['name', 'types', 'contactName', 'phone', 'email', 'address', 'website', 'hours', 'notes', 'verifiedOn'] as const
  const submit = form.onSubmit(
    (values) =>
      save.mutate(
        { ...(agency ? { id: agency.id, version: base! } : {}), ...values, verifiedOn: values.verifiedOn || null },
        {
          onSuccess: (saved) => {
            notifications.show({ message: t('agencies.saved', { name: saved.name }), color: 'teal' })
            onClose()
          },
          onError: (error) => (noticeChangedElsewhere(t, error) ? onClose() : form.setErrors(fieldErrors(error, fields))),
        },
      ),
    focusFirstError,
  )
  return (
    <form noValidate onSubmit={submit}>
      <Stack>
        <TextInput label={t('agencies.name')} required autoFocus maxLength={120} {...form.getInputProps('name')} />
        <Checkbox.Group label={t('agencies.types')} description={t('agencies.typesHint')} required {...form.getInputProps('types')}>
          <SimpleGrid cols={2} spacing={6} mt={6}>
            {REFERRAL_TYPES.map((type) => (
              <Checkbox key={type} value={type} label={t(`referrals.type.${type}`)} />
            ))}
          </SimpleGrid>
        </Checkbox.Group>
        <SimpleGrid cols={2}>
          <TextInput label={t('agencies.contactName')} maxLength={120} {...form.getInputProps('contactName')} />
          <TextInput label={t('agencies.phone')} type="tel" maxLength={30} {...form.getInputProps('phone')} />
          <TextInput label={t('agencies.email')} type="email" maxLength={200} {...form.getInputProps('email')} />
          <TextInput label={t('agencies.website')} maxLength={300} {...form.getInputProps('website')} />
        </SimpleGrid>
        <TextInput label={t('agencies.address')} maxLength={300} {...form.getInputProps('address')} />
        <TextInput label={t('agencies.hours')} placeholder={t('agencies.hoursPlaceholder')} maxLength={300} {...form.getInputProps('hours')} />
        <Textarea label={t('agencies.notes')} description={t('agencies.notesHint')} autosize minRows={2} maxLength={1000} {...form.getInputProps('notes')} />
        <TextInput type="date" label={t('agencies.verifiedOn')} description={t('agencies.verifiedHint')} max={today} w={220} {...form.getInputProps('verifiedOn')} />
        <FormAlert error={save.error ?? setActive.error} />
        <Group justify="space-between">
          {agency ? (
            <Button
              variant="subtle"
              color={agency.active ? 'red' : 'green'}
              loading={setActive.isPending}
              onClick={() => setActive.mutate({ id: agency.id, active: !agency.active, version: agency.version }, { onSuccess: onClose, onError: (error) => (noticeChangedElsewhere(t, error) ? onClose() : undefined) })}
            >
              {agency.active ? t('agencies.deactivate') : t('agencies.activate')}
            </Button>
          ) : (
            <span />
          )}
          <Group>
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('agencies.save')}
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  )
}
