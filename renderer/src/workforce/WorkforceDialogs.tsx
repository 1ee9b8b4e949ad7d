import { FileInput, Group, Modal, NumberInput, Select, Stack, TextInput, Textarea, Button } from '@mantine/core'
import { useForm } from '@mantine/form'
import { IconPaperclip } from '@tabler/icons-react'
import { useTranslation } from 'react-i18next'
import type { Credential } from '../../../electron/ipc/contract'
import { FormAlert } from '../components/FormAlert'
import { currentLanguage } from '../i18n'
import { fieldErrors } from '../lib/errors'
import { isRealDay, todayIso } from '../lib/fields'
import { focusFirstError } from '../lib/forms'
import { readUpload, useAddSupervision, useAddTraining, useRenewCredential, useSaveCredential, useWorkforceLists } from '../hooks/queries'

/** What the screen checks before sending (main checks it all again, by content). */
const MAX_BYTES = 5 * 1024 * 1024
const ACCEPT = 'application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg'

function useFileCheck() {
  const { t } = useTranslation()
  return (file: File | null) => (file && file.size > MAX_BYTES ? t('workforce.fileTooBig') : null)
}

function DocumentField(props: ReturnType<ReturnType<typeof useForm<{ document: File | null }>>['getInputProps']>) {
  const { t } = useTranslation()
  return <FileInput label={t('workforce.file')} description={t('workforce.fileHint')} accept={ACCEPT} clearable clearButtonProps={{ 'aria-label': t('common.clearField', { field: t('workforce.file') }) }} leftSection={<IconPaperclip aria-hidden size={16} />} {...props} />
}

function Footer({ pending, onClose }: { pending: boolean; onClose: () => void }) {
  const { t } = useTranslation()
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onClose}>
        {t('common.cancel')}
      </Button>
      <Button type="submit" loading={pending}>
        {t('workforce.save')}
      </Button>
    </Group>
  )
}

const hoursCheck = (message: string) => (value: number | string) => (typeof value === 'number' && value > 0 && value <= 24 ? null : message)

/** Adds a credential for a staff member, or renews one (a new row; the old one stays as history). */
export function CredentialDialog({ staffId, renewing, opened, onClose }: { staffId: number; renewing: Credential | null; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation()
  return (
    <Modal opened={opened} onClose={onClose} title={renewing ? t('workforce.renewTitle', { kind: currentLanguage() === 'es' ? renewing.kindNameEs : renewing.kindNameEn }) : t('workforce.addCredential')} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
      {opened ? <CredentialForm staffId={staffId} renewing={renewing} onClose={onClose} /> : null}
    </Modal>
  )
}

const CREDENTIAL_FIELDS = ['kindId', 'issuer', 'number', 'issuedOn', 'expiresOn', 'document'] as const

function CredentialForm({ staffId, renewing, onClose }: { staffId: number; renewing: Credential | null; onClose: () => void }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const lists = useWorkforceLists()
  const save = useSaveCredential()
  const renew = useRenewCredential()
  const fileCheck = useFileCheck()
  const today = todayIso()
  const form = useForm({
    initialValues: {
      kindId: renewing ? String(renewing.kindId) : (null as string | null),
      issuer: renewing?.issuer ?? '',
      number: '',
      issuedOn: renewing?.expiresOn ?? today,
      expiresOn: '',
      document: null as File | null,
    },
    validate: {
      kindId: (value) => (value ? null : t('workforce.chooseKind')),
      issuer: (value) => (renewing || value.trim() ? null : t('workforce.issuerRequired')),
      issuedOn: (value) => (!isRealDay(value) ? t('validation.dateInvalid') : value > today ? t('validation.dateFuture') : null),
      expiresOn: (value, values) => (value === '' && !renewing ? null : !isRealDay(value) ? t('validation.dateInvalid') : value <= values.issuedOn ? t('workforce.expiryAfterIssue') : null),
      document: fileCheck,
    },
  })
  const onError = (error: unknown) => form.setErrors(fieldErrors(error, CREDENTIAL_FIELDS))
  const submit = form.onSubmit(async (values) => {
    const document = values.document ? await readUpload(values.document) : null
    if (renewing) {
      renew.mutate({ id: renewing.id, issuedOn: values.issuedOn, expiresOn: values.expiresOn, number: values.number, document }, { onSuccess: onClose, onError })
    } else {
      save.mutate(
        { staffId, kindId: Number(values.kindId), issuer: values.issuer, number: values.number, issuedOn: values.issuedOn, expiresOn: values.expiresOn || null, document },
        { onSuccess: onClose, onError },
      )
    }
  }, focusFirstError)
  const kinds = (lists.data?.kinds ?? []).map((k) => ({ value: String(k.id), label: language === 'es' ? k.nameEs : k.nameEn }))
  return (
    <form noValidate onSubmit={submit}>
      <Stack>
        {renewing ? null : <Select label={t('workforce.kind')} data={kinds} required allowDeselect={false} autoFocus {...form.getInputProps('kindId')} />}
        {renewing ? null : <TextInput label={t('workforce.issuer')} required maxLength={120} {...form.getInputProps('issuer')} />}
        <TextInput label={renewing ? t('workforce.newNumber') : t('workforce.number')} maxLength={60} {...form.getInputProps('number')} />
        <Group grow align="flex-start">
          <TextInput type="date" label={t('workforce.issuedOn')} required max={today} {...form.getInputProps('issuedOn')} />
          <TextInput type="date" label={t('workforce.expiresOn')} required={renewing !== null} description={renewing ? undefined : t('workforce.expiresHint')} {...form.getInputProps('expiresOn')} />
        </Group>
        <DocumentField {...form.getInputProps('document')} />
        <FormAlert error={save.error ?? renew.error} />
        <Footer pending={save.isPending || renew.isPending} onClose={onClose} />
      </Stack>
    </form>
  )
}

const TRAINING_FIELDS = ['takenOn', 'title', 'provider', 'hours', 'categoryId', 'document'] as const

/** Logs a training: a specialist's own waits for a manager to confirm it. */
export function TrainingDialog({ staffId, opened, onClose }: { staffId: number; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation()
  return (
    <Modal opened={opened} onClose={onClose} title={t('workforce.addTraining')} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
      {opened ? <TrainingForm staffId={staffId} onClose={onClose} /> : null}
    </Modal>
  )
}

function TrainingForm({ staffId, onClose }: { staffId: number; onClose: () => void }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const lists = useWorkforceLists()
  const add = useAddTraining()
  const fileCheck = useFileCheck()
  const today = todayIso()
  const form = useForm({
    initialValues: { takenOn: today, title: '', provider: '', hours: '' as number | string, categoryId: null as string | null, document: null as File | null },
    validate: {
      takenOn: (value) => (!isRealDay(value) ? t('validation.dateInvalid') : value > today ? t('validation.dateFuture') : null),
      title: (value) => (value.trim() ? null : t('workforce.titleRequired')),
      hours: hoursCheck(t('workforce.hoursHint')),
      categoryId: (value) => (value ? null : t('workforce.chooseCategory')),
      document: fileCheck,
    },
  })
  const submit = form.onSubmit(async (values) => {
    const document = values.document ? await readUpload(values.document) : null
    add.mutate(
      { staffId, takenOn: values.takenOn, title: values.title, provider: values.provider, hours: Number(values.hours), categoryId: Number(values.categoryId), document },
      { onSuccess: onClose, onError: (error) => form.setErrors(fieldErrors(error, TRAINING_FIELDS)) },
    )
  }, focusFirstError)
  const categories = (lists.data?.categories ?? []).filter((c) => c.active).map((c) => ({ value: String(c.id), label: language === 'es' ? c.nameEs : c.nameEn }))
  return (
    <form noValidate onSubmit={submit}>
      <Stack>
        <TextInput label={t('workforce.trainingTitle')} required maxLength={200} autoFocus {...form.getInputProps('title')} />
        <TextInput label={t('workforce.provider')} maxLength={120} {...form.getInputProps('provider')} />
        <Group grow align="flex-start">
          <TextInput type="date" label={t('workforce.date')} required max={today} {...form.getInputProps('takenOn')} />
          <NumberInput label={t('workforce.hours')} required min={0.25} max={24} step={0.5} decimalScale={2} {...form.getInputProps('hours')} />
        </Group>
        <Select label={t('workforce.category')} data={categories} required allowDeselect={false} {...form.getInputProps('categoryId')} />
        <DocumentField {...form.getInputProps('document')} />
        <FormAlert error={add.error} />
        <Footer pending={add.isPending} onClose={onClose} />
      </Stack>
    </form>
  )
}

const SUPERVISION_FIELDS = ['supervisorId', 'heldOn', 'hours', 'format', 'note'] as const

/** Logs a supervision meeting: who supervised, how long, individual or group, and a short non-clinical note. */
export function SupervisionDialog({ staffId, opened, onClose }: { staffId: number; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation()
  return (
    <Modal opened={opened} onClose={onClose} title={t('workforce.addSupervision')} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
      {opened ? <SupervisionForm staffId={staffId} onClose={onClose} /> : null}
    </Modal>
  )
}

function SupervisionForm({ staffId, onClose }: { staffId: number; onClose: () => void }) {
  const { t } = useTranslation()
  const lists = useWorkforceLists()
  const add = useAddSupervision()
  const today = todayIso()
  const form = useForm({
    initialValues: { supervisorId: null as string | null, heldOn: today, hours: 1 as number | string, format: 'individual' as 'individual' | 'group', note: '' },
    validate: {
      supervisorId: (value) => (!value ? t('workforce.chooseSupervisor') : Number(value) === staffId ? t('workforce.notSelf') : null),
      heldOn: (value) => (!isRealDay(value) ? t('validation.dateInvalid') : value > today ? t('validation.dateFuture') : null),
      hours: hoursCheck(t('workforce.hoursHint')),
    },
  })
  const submit = form.onSubmit(
    (values) =>
      add.mutate(
        { staffId, supervisorId: Number(values.supervisorId), heldOn: values.heldOn, hours: Number(values.hours), format: values.format, note: values.note },
        { onSuccess: onClose, onError: (error) => form.setErrors(fieldErrors(error, SUPERVISION_FIELDS)) },
      ),
    focusFirstError,
  )
  const supervisors = (lists.data?.staff ?? []).filter((s) => s.id !== staffId).map((s) => ({ value: String(s.id), label: s.displayName }))
  return (
    <form noValidate onSubmit={submit}>
      <Stack>
        <Select label={t('workforce.supervisor')} data={supervisors} required allowDeselect={false} searchable autoFocus {...form.getInputProps('supervisorId')} />
        <Group grow align="flex-start">
          <TextInput type="date" label={t('workforce.date')} required max={today} {...form.getInputProps('heldOn')} />
          <NumberInput label={t('workforce.hours')} required min={0.25} max={24} step={0.5} decimalScale={2} {...form.getInputProps('hours')} />
        </Group>
        <Select
          label={t('workforce.format')}
          data={[
            { value: 'individual', label: t('workforce.formats.individual') },
            { value: 'group', label: t('workforce.formats.group') },
          ]}
          allowDeselect={false}
          {...form.getInputProps('format')}
        />
        <Textarea label={t('workforce.note')} description={t('workforce.noteHint')} maxLength={300} autosize minRows={2} {...form.getInputProps('note')} />
        <FormAlert error={add.error} />
        <Footer pending={add.isPending} onClose={onClose} />
      </Stack>
    </form>
  )
}
