import { Button, Group, SimpleGrid, Stack, Text, TextInput } from '@mantine/core'
import { useForm } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { IconDeviceFloppy } from '@tabler/icons-react'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { isApiError } from '../bridge'
import { FormAlert } from '../components/FormAlert'
import { ParticipantFields } from '../components/ParticipantFields'
import { useFieldRules, useUpdateParticipant } from '../hooks/queries'
import { currentLanguage } from '../i18n'
import { fieldErrors } from '../lib/errors'
import { DEFAULT_RULES, INPUT_NAMES, checkInput, fieldInput, fieldValuesFrom, type FieldValues } from '../lib/fields'
import { formatDate, shortName } from '../lib/format'
import { focusFirstError } from '../lib/forms'
import type { ParticipantDetails } from '../lib/types'
import * as rules from '../lib/validation'
import { useMay } from '../components/ProfileContext'

type Values = FieldValues & { firstName: string; nickname: string; version: number }
const FORM_FIELDS = ['firstName', 'nickname', ...INPUT_NAMES] as const
const NAME_MAX = 60

/** The person's details, editable in place; each field checked as the desk leaves it and again on save. */
export function ProfileDetails({ person }: { person: ParticipantDetails }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const fieldRules = useFieldRules().data ?? DEFAULT_RULES
  const update = useUpdateParticipant()
  // Roles that may not edit details (facilitators) read them; main refuses the change anyway.
  const mayEdit = useMay('participants.update')
  // The version travels with the values it was read with: a save is checked against it, so values
  // typed over an older version are refused even after a live refresh has read a newer one.
  const valuesOf = (read: ParticipantDetails): Values => ({ ...fieldValuesFrom(read), firstName: read.firstName ?? '', nickname: read.nickname ?? '', version: read.version })
  const form = useForm<Values>({
    initialValues: valuesOf(person),
    validateInputOnBlur: true,
    validate: (values) => {
      const errors: Record<string, string | null> = {
        firstName:
          !values.firstName.trim() && !values.nickname.trim() ? t('validation.nameOrNickname') : rules.optionalMax(t, values.firstName, NAME_MAX),
        nickname: rules.optionalMax(t, values.nickname, NAME_MAX),
      }
      for (const name of INPUT_NAMES) errors[name] = checkInput(t, name, values[name], fieldRules, values)
      return errors
    },
  })

  // A newer version read from main (saved on another PC, or read again after this form's save was
  // refused as changed there): the form shows it, unless the desk is typing over the old one
  // without having been refused yet (its save will be, and then it shows the new one).
  const refused = isApiError(update.error, 'STALE')
  useEffect(() => {
    if (!refused && form.isDirty()) return
    const values = valuesOf(person)
    form.setInitialValues(values)
    form.setValues(values)
    form.resetDirty(values)
    // Only a new version (or a refusal) replaces what the form holds.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [person.version, refused])

  const submit = form.onSubmit((values) => {
    update.mutate(
      { id: person.id, version: values.version, firstName: values.firstName, nickname: values.nickname, ...fieldInput(values, fieldRules) },
      {
        onSuccess: (saved) => {
          const now = { ...values, version: saved.version }
          form.setInitialValues(now)
          form.setValues(now)
          form.resetDirty(now)
          notifications.show({ color: 'green', title: t('profile.savedTitle'), message: t('profile.savedMessage', { name: shortName(saved) }) })
        },
        onError: (error) => {
          const errors = fieldErrors(error, FORM_FIELDS)
          form.setErrors(errors)
          focusFirstError(errors)
        },
      },
    )
  }, focusFirstError)

  const alertError = update.error && Object.keys(fieldErrors(update.error, FORM_FIELDS)).length === 0 ? update.error : null

  return (
    <form noValidate onSubmit={submit} aria-label={t('profile.detailsForm')}>
      <Stack gap="md">
        <fieldset disabled={!mayEdit} className="pl-plain-fieldset">
          <Stack gap="md">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" verticalSpacing="sm">
          <TextInput label={t('register.firstName')} autoComplete="off" maxLength={NAME_MAX} {...form.getInputProps('firstName')} />
          <TextInput label={t('register.nickname')} autoComplete="off" maxLength={NAME_MAX} {...form.getInputProps('nickname')} />
        </SimpleGrid>
        <ParticipantFields form={form} rules={fieldRules} names={INPUT_NAMES} />
          </Stack>
        </fieldset>
        <FormAlert error={alertError} />
        <Group justify="space-between">
          <Text size="sm" c="dimmed">
            {t('profile.updated', { date: formatDate(person.updatedAt, language) })}
          </Text>
          {mayEdit ? (
          <Group gap="sm">
            <Button variant="default" disabled={!form.isDirty()} onClick={() => form.reset()}>
              {t('profile.discard')}
            </Button>
            <Button type="submit" leftSection={<IconDeviceFloppy aria-hidden size={18} />} loading={update.isPending} disabled={!form.isDirty()}>
              {t('profile.save')}
            </Button>
          </Group>
          ) : null}
        </Group>
      </Stack>
    </form>
  )
}
