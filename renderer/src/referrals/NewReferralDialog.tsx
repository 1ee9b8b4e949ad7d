import { Alert, Button, Group, Modal, Radio, Select, Stack, Text, Textarea, TextInput } from '@mantine/core'
import { useForm } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { IconAlertTriangle, IconPlus } from '@tabler/icons-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { isApiError } from '../bridge'
import { FormFooter } from '../components/FormFooter'
import { useAgencies, useConsents, useCreateReferral } from '../hooks/queries'
import { currentLanguage } from '../i18n'
import { fieldErrors } from '../lib/errors'
import { isRealDay, todayIso } from '../lib/fields'
import { focusFirstError } from '../lib/forms'
import type { ReferralDetails, ReferralType } from '../lib/types'
import { ConsentDialog } from './ConsentDialog'
import { daysFromToday, formatDay, REFERRAL_TYPES } from './labels'
import { PersonPicker } from './PersonPicker'

interface Props {
  opened: boolean
  /** Made from a profile: the person is known. From the Referrals screen: picked in the form. */
  participantId?: number
  /** Shown when the person is known but the form is not inside their profile (a desk request). */
  personName?: string
  onClose: () => void
  onCreated?: (referral: ReferralDetails) => void
}

export function NewReferralDialog({ opened, participantId, personName, onClose, onCreated }: Props) {
  const { t } = useTranslation()
  return (
    <Modal opened={opened} onClose={onClose} title={t('referrals.newTitle')} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
      {opened ? <NewReferralForm participantId={participantId} personName={personName} onClose={onClose} onCreated={onCreated} /> : null}
    </Modal>
  )
}

type Sharing = 'none' | 'consent'

function NewReferralForm({ participantId, personName, onClose, onCreated }: Omit<Props, 'opened'>) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const create = useCreateReferral()
  const agencies = useAgencies()
  const today = todayIso()
  const [recordingConsent, setRecordingConsent] = useState(false)
  const form = useForm({
    initialValues: {
      participantId: participantId ?? (null as number | null),
      type: null as ReferralType | null,
      agencyId: null as string | null,
      referredOn: today,
      followUpOn: daysFromToday(7),
      note: '',
      sharing: 'none' as Sharing,
      consentId: null as string | null,
    },
    validate: {
      participantId: (value) => (value ? null : t('referrals.choosePerson')),
      type: (value) => (value ? null : t('referrals.chooseType')),
      agencyId: (value) => (value ? null : t('referrals.chooseAgency')),
      referredOn: (value) => (!isRealDay(value) ? t('validation.dateInvalid') : value > today ? t('validation.dateFuture') : null),
      followUpOn: (value, values) => (!value ? null : !isRealDay(value) ? t('validation.dateInvalid') : value < values.referredOn ? t('referrals.followUpBeforeReferral') : null),
      note: (value) => (value.length > 500 ? t('validation.maxLength', { max: 500 }) : null),
      consentId: (value, values) => (values.sharing === 'consent' && !value ? t('referrals.chooseConsent') : null),
    },
  })
  const person = form.values.participantId
  // Read (and audited) only once sharing is chosen: a referral that shares nothing needs no consent.
  const consents = useConsents(form.values.sharing === 'consent' ? person : null)
  const agencyId = form.values.agencyId ? Number(form.values.agencyId) : null
  // Agencies that take this kind of referral; the service refuses the others.
  const agencyOptions = (agencies.data ?? [])
    .filter((agency) => !form.values.type || agency.types.includes(form.values.type))
    .map((agency) => ({ value: String(agency.id), label: agency.phone ? `${agency.name} · ${agency.phone}` : agency.name }))
  const recent = create.error && isApiError(create.error, 'RECENT_REFERRAL') ? create.error.detail : null
  const usableConsents = (consents.data ?? []).filter((consent) => consent.state === 'active' && consent.agencyId === agencyId)

  // allowRecent: "Make another referral", after main asked about one to the same agency this week.
  const send = (values: typeof form.values, allowRecent: boolean) =>
      create.mutate(
        {
          participantId: values.participantId!,
          agencyId: Number(values.agencyId),
          type: values.type!,
          referredOn: values.referredOn,
          followUpOn: values.followUpOn || null,
          note: values.note,
          consentId: values.sharing === 'consent' && values.consentId ? Number(values.consentId) : null,
          ...(allowRecent ? { allowRecent: true } : {}),
        },
        {
          onSuccess: (referral) => {
            notifications.show({ message: t('referrals.created', { agency: referral.agencyName }), color: 'teal' })
            onCreated?.(referral)
            onClose()
          },
          onError: (error) => {
            form.setErrors(fieldErrors(error, ['participantId', 'agencyId', 'type', 'referredOn', 'followUpOn', 'note', 'consentId'] as const))
          },
        },
      )
  const submit = form.onSubmit((values) => send(values, false), focusFirstError)

  // The consent dialog sits beside the form, not in it: React would bubble its submit into this one.
  return (
    <>
    <form noValidate onSubmit={submit}>
      <Stack>
        {personName ? <Text fw={600}>{t('referrals.forPerson', { name: personName })}</Text> : null}
        {participantId === undefined ? (
          <PersonPicker
            autoFocus
            value={person}
            onChange={(id) => {
              form.setFieldValue('participantId', id)
              form.setFieldValue('consentId', null)
            }}
            error={form.errors.participantId as string | undefined}
          />
        ) : null}
        <Group grow align="flex-start">
          <Select
            label={t('referrals.colType')}
            required
            autoFocus={participantId !== undefined}
            data={REFERRAL_TYPES.map((value) => ({ value, label: t(`referrals.type.${value}`) }))}
            {...form.getInputProps('type')}
            onChange={(value) => {
              form.setFieldValue('type', value as ReferralType | null)
              const still = agencies.data?.find((agency) => String(agency.id) === form.values.agencyId)
              if (still && value && !still.types.includes(value as ReferralType)) form.setFieldValue('agencyId', null)
            }}
          />
          <Select
            label={t('referrals.colAgency')}
            required
            searchable
            nothingFoundMessage={t('referrals.noAgencyForType')}
            data={agencyOptions}
            {...form.getInputProps('agencyId')}
            onChange={(value) => {
              form.setFieldValue('agencyId', value)
              form.setFieldValue('consentId', null)
            }}
          />
        </Group>
        <Group grow align="flex-start">
          <TextInput type="date" label={t('referrals.colReferred')} required max={today} {...form.getInputProps('referredOn')} />
          <TextInput type="date" label={t('referrals.colFollowUp')} description={t('referrals.followUpHint')} min={form.values.referredOn} {...form.getInputProps('followUpOn')} />
        </Group>
        <Textarea label={t('referrals.note')} description={t('referrals.noteHint')} autosize minRows={2} maxLength={500} {...form.getInputProps('note')} />
        <Radio.Group label={t('referrals.sharingLabel')} {...form.getInputProps('sharing')}>
          <Stack gap={8} mt={6}>
            <Radio value="none" label={t('referrals.shareNone')} />
            <Radio value="consent" label={t('referrals.shareConsent')} disabled={!person || !agencyId} />
          </Stack>
        </Radio.Group>
        {form.values.sharing === 'consent' && person && agencyId ? (
          <Group align="flex-end">
            <Select
              label={t('referrals.consent')}
              required
              flex={1}
              data={usableConsents.map((consent) => ({
                value: String(consent.id),
                label: t('referrals.consentOption', { signed: formatDay(consent.signedOn, language), until: formatDay(consent.expiresOn, language) }),
              }))}
              nothingFoundMessage={t('referrals.noConsent')}
              placeholder={usableConsents.length === 0 ? t('referrals.noConsent') : undefined}
              {...form.getInputProps('consentId')}
            />
            <Button variant="default" leftSection={<IconPlus aria-hidden size={16} />} onClick={() => setRecordingConsent(true)}>
              {t('referrals.recordConsent')}
            </Button>
          </Group>
        ) : null}
        {form.values.sharing === 'consent' ? (
          <Text size="xs" c="dimmed">
            {t('referrals.consentRule')}
          </Text>
        ) : null}
        {recent ? (
          <Alert color="yellow" variant="light" role="alert" icon={<IconAlertTriangle aria-hidden />} title={t('referrals.recentTitle')}>
            <Stack gap="xs" align="flex-start">
              <Text size="sm">
                {t('referrals.recentBody', {
                  agency: String(recent.agencyName ?? ''),
                  date: typeof recent.referredOn === 'string' ? formatDay(recent.referredOn, language) : '',
                  status: typeof recent.status === 'string' ? t(`referrals.status.${recent.status}` as 'referrals.status.pending') : '',
                })}
              </Text>
              <Button
                size="sm"
                variant="default"
                loading={create.isPending}
                onClick={() => send(form.getValues(), true)}
              >
                {t('referrals.recentConfirm')}
              </Button>
            </Stack>
          </Alert>
        ) : null}
        <FormFooter error={recent ? null : create.error} onCancel={onClose} submitLabel={t('referrals.create')} pending={create.isPending} />
      </Stack>
    </form>
      {person ? (
        <ConsentDialog
          opened={recordingConsent}
          participantId={person}
          agencyId={agencyId}
          onClose={() => setRecordingConsent(false)}
          onCreated={(consent) => form.setFieldValue('consentId', String(consent.id))}
        />
      ) : null}
    </>
  )
}
