import { Button, Checkbox, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core'
import { IconPrinter } from '@tabler/icons-react'
import { useState } from 'react'
import { useForm } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { useTranslation } from 'react-i18next'
import { FormFooter } from '../components/FormFooter'
import { useAgencies, useCreateConsent, useProfile, useStatus } from '../hooks/queries'
import { currentLanguage, loadLanguage, type Language } from '../i18n'
import { usePrintSheet } from '../print/usePrintSheet'
import { ConsentFormSheet, type ConsentFormFill } from './ConsentFormSheet'
import { fieldErrors } from '../lib/errors'
import { isRealDay, todayIso } from '../lib/fields'
import { focusFirstError } from '../lib/forms'
import type { Consent, ConsentInformation } from '../lib/types'
import { CONSENT_INFORMATION, daysFromToday } from './labels'

interface Props {
  opened: boolean
  participantId: number
  /** The agency the consent is for, when it is being recorded for a referral to it. */
  agencyId?: number | null
  onClose: () => void
  onCreated?: (consent: Consent) => void
}

/**
 * Records a signed consent to share (42 CFR Part 2): one recipient, a purpose, what may be
 * shared, and the day it ends. The signed form itself stays in the center's files.
 */
export function ConsentDialog({ opened, participantId, agencyId, onClose, onCreated }: Props) {
  const { t } = useTranslation()
  return (
    <Modal opened={opened} onClose={onClose} title={t('consents.addTitle')} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
      {opened ? <ConsentForm participantId={participantId} agencyId={agencyId ?? null} onClose={onClose} onCreated={onCreated} /> : null}
    </Modal>
  )
}

function ConsentForm({ participantId, agencyId, onClose, onCreated }: Omit<Props, 'opened' | 'agencyId'> & { agencyId: number | null }) {
  const { t } = useTranslation()
  const agencies = useAgencies()
  const create = useCreateConsent()
  const today = todayIso()
  const centerName = useStatus().data?.centerName ?? ''
  const person = useProfile(participantId).data?.participant
  const [formLanguage, setFormLanguage] = useState<Language>(currentLanguage)
  const consentForm = usePrintSheet<ConsentFormFill>()
  const form = useForm({
    initialValues: {
      agencyId: agencyId ? String(agencyId) : (null as string | null),
      purpose: '',
      information: ['contact', 'referral_status'] as ConsentInformation[],
      signedOn: today,
      expiresOn: daysFromToday(365),
      formOnFile: false,
    },
    validate: {
      agencyId: (value) => (value ? null : t('consents.chooseAgency')),
      purpose: (value) => (value.trim() ? (value.length > 300 ? t('validation.maxLength', { max: 300 }) : null) : t('consents.purposeRequired')),
      information: (value) => (value.length > 0 ? null : t('consents.informationRequired')),
      signedOn: (value) => (!isRealDay(value) ? t('validation.dateInvalid') : value > today ? t('validation.dateFuture') : null),
      expiresOn: (value, values) =>
        !isRealDay(value) ? t('validation.dateInvalid') : value < values.signedOn || value < today ? t('consents.endsTooSoon') : null,
      formOnFile: (value) => (value ? null : t('consents.formOnFileRequired')),
    },
  })
  const submit = form.onSubmit(
    (values) =>
      create.mutate(
        {
          participantId,
          agencyId: Number(values.agencyId),
          purpose: values.purpose.trim(),
          information: values.information,
          signedOn: values.signedOn,
          expiresOn: values.expiresOn,
        },
        {
          onSuccess: (consent) => {
            notifications.show({ message: t('consents.added', { agency: consent.agencyName }), color: 'teal' })
            onCreated?.(consent)
            onClose()
          },
          onError: (error) => form.setErrors(fieldErrors(error, ['agencyId', 'purpose', 'information', 'signedOn', 'expiresOn'] as const)),
        },
      ),
    focusFirstError,
  )
  return (
    <form noValidate onSubmit={submit}>
      <Stack>
        <Text size="sm" c="dimmed">
          {t('consents.intro')}
        </Text>
        <Select
          label={t('consents.recipient')}
          required
          searchable
          disabled={agencyId !== null}
          data={(agencies.data ?? []).map((agency) => ({ value: String(agency.id), label: agency.name }))}
          {...form.getInputProps('agencyId')}
        />
        <TextInput label={t('consents.purpose')} description={t('consents.purposeHint')} required maxLength={300} autoFocus {...form.getInputProps('purpose')} />
        <Checkbox.Group label={t('consents.information')} description={t('consents.informationHint')} required {...form.getInputProps('information')}>
          <Stack gap={6} mt={6}>
            {CONSENT_INFORMATION.map((item) => (
              <Checkbox key={item} value={item} label={t(`consents.info.${item}`)} />
            ))}
          </Stack>
        </Checkbox.Group>
        <Group grow align="flex-start">
          <TextInput type="date" label={t('consents.signedOn')} required max={today} {...form.getInputProps('signedOn')} />
          <TextInput type="date" label={t('consents.expiresOn')} description={t('consents.expiresHint')} required min={today} {...form.getInputProps('expiresOn')} />
        </Group>
        <Group align="flex-end" gap="sm">
          <Select
            label={t('consentForm.printLanguage')}
            w={160}
            allowDeselect={false}
            data={[
              { value: 'en', label: 'English' },
              { value: 'es', label: 'Español' },
            ]}
            value={formLanguage}
            onChange={(value) => setFormLanguage((value as Language | null) ?? formLanguage)}
          />
          <Button
            variant="default"
            leftSection={<IconPrinter aria-hidden size={16} />}
            onClick={() => {
              const values = form.getValues()
              // The form is worded in its own language, which the screen may not have read yet.
              void loadLanguage(formLanguage).then(() =>
                consentForm.print({
                  language: formLanguage,
                  centerName,
                  personName: person ? [person.firstName, person.lastName].filter(Boolean).join(' ') || null : null,
                  agencyName: agencies.data?.find((agency) => String(agency.id) === values.agencyId)?.name ?? null,
                  purpose: values.purpose.trim() || null,
                  information: values.information,
                  expiresOn: isRealDay(values.expiresOn) ? values.expiresOn : null,
                }),
              )
            }}
          >
            {t('consentForm.printButton')}
          </Button>
        </Group>
        <Text size="xs" c="dimmed">
          {t('consentForm.printHint')}
        </Text>
        {consentForm.sheet ? <ConsentFormSheet fill={consentForm.sheet} /> : null}
        <Checkbox label={t('consents.formOnFile')} {...form.getInputProps('formOnFile', { type: 'checkbox' })} />
        <FormFooter error={create.error} onCancel={onClose} submitLabel={t('consents.save')} pending={create.isPending} />
      </Stack>
    </form>
  )
}
