import { Button, Group, Paper, SimpleGrid, Stack, Text, TextInput, Title, CloseButton } from '@mantine/core'
import { useForm } from '@mantine/form'
import { useDebouncedValue } from '@mantine/hooks'
import { IconUserPlus } from '@tabler/icons-react'
import { useEffect, useId, useRef, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { useCreateParticipant, useParticipantSearch } from '../hooks/queries'
import { fieldErrors } from '../lib/errors'
import { focusFirstError } from '../lib/forms'
import { shortName } from '../lib/format'
import type { Person } from '../lib/types'
import * as rules from '../lib/validation'
import { FormAlert } from './FormAlert'

interface Props {
  /** What was typed in the search box, to start the form with. */
  typed: string
  onCreated: (person: Person) => void
  onUseExisting: (person: Person) => void
  onCancel: () => void
}

const FIELDS = ['firstName', 'nickname', 'lastName', 'birthYear', 'phone'] as const
const NAME_MAX = 60

function capitalize(word: string): string {
  return word.charAt(0).toLocaleUpperCase() + word.slice(1)
}

/**
 * "marisol quintero" → first name Marisol, last name Quintero. Digits (a phone number or a
 * code someone typed) are not a name, so they prefill nothing. Capitals are added only when
 * everything was typed in lower case: anything else is kept exactly as typed.
 */
export function prefillFromSearch(typed: string): { firstName: string; lastName: string } {
  const text = typed.trim().replace(/\s+/g, ' ')
  if (!text || /\d/.test(text)) return { firstName: '', lastName: '' }
  const words = text === text.toLocaleLowerCase() ? text.split(' ').map(capitalize) : text.split(' ')
  return { firstName: words[0] ?? '', lastName: words.slice(1).join(' ') }
}

/**
 * Registers a walk-in with as little as a first name or a nickname, then goes straight on to
 * signing them in. Shows people with a similar name first, so nobody is registered twice.
 */
export function RegisterPersonForm({ typed, onCreated, onUseExisting, onCancel }: Props) {
  const { t } = useTranslation()
  const create = useCreateParticipant()
  const headingId = useId()
  const prefill = prefillFromSearch(typed)
  const form = useForm({
    initialValues: { firstName: prefill.firstName, nickname: '', lastName: prefill.lastName, birthYear: '', phone: '' },
    validate: {
      firstName: (value, values) =>
        !value.trim() && !values.nickname.trim() ? t('validation.nameOrNickname') : rules.optionalMax(t, value, NAME_MAX),
      nickname: (value) => rules.optionalMax(t, value, NAME_MAX),
      lastName: (value) => rules.optionalMax(t, value, NAME_MAX),
      birthYear: (value) => rules.birthYear(t, value.trim()),
      phone: (value) => rules.phone(t, value),
    },
  })

  // The first field still empty is where the desk will type next.
  const firstRef = useRef<HTMLInputElement>(null)
  const lastRef = useRef<HTMLInputElement>(null)
  useEffect(() => {
    ;(prefill.firstName && !prefill.lastName ? lastRef : firstRef).current?.focus()
    // Only when the form opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  const nameForMatch = [form.values.firstName, form.values.lastName].map((v) => v.trim()).filter(Boolean).join(' ')
  const [matchText] = useDebouncedValue(nameForMatch.length >= 2 ? nameForMatch : '', 250)
  const matches = useParticipantSearch(matchText)
  const similar = matchText ? (matches.data ?? []).slice(0, 3) : []

  const submit = form.onSubmit((values) => {
    const year = values.birthYear.trim()
    create.mutate(
      {
        firstName: values.firstName,
        nickname: values.nickname,
        lastName: values.lastName,
        birthYear: year ? Number(year) : null,
        phone: values.phone,
      },
      {
        onSuccess: onCreated,
        onError: (error) => {
          const errors = fieldErrors(error, FIELDS)
          form.setErrors(errors)
          focusFirstError(errors)
        },
      },
    )
  }, focusFirstError)

  function onKeyDown(event: KeyboardEvent<HTMLFormElement>): void {
    if (event.key === 'Escape') {
      event.preventDefault()
      onCancel()
    }
  }

  const alertError = create.error && Object.keys(fieldErrors(create.error, FIELDS)).length === 0 ? create.error : null

  return (
    <Paper withBorder radius="md" p="lg" shadow="xs" component="section" aria-labelledby={headingId}>
      <form noValidate onSubmit={submit} onKeyDown={onKeyDown}>
        <Stack gap="md">
          <Group justify="space-between" align="flex-start" wrap="nowrap">
            <Stack gap={2}>
              <Title order={2} size="h3" id={headingId}>
                {t('register.title')}
              </Title>
              <Text c="dimmed" size="sm">
                {t('register.intro')}
              </Text>
            </Stack>
            <CloseButton size="xl" aria-label={t('common.cancel')} onClick={onCancel} />
          </Group>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" verticalSpacing="sm">
            <TextInput ref={firstRef} label={t('register.firstName')} autoComplete="off" maxLength={NAME_MAX} {...form.getInputProps('firstName')} />
            <TextInput label={t('register.nickname')} autoComplete="off" maxLength={NAME_MAX} {...form.getInputProps('nickname')} />
            <TextInput ref={lastRef} label={t('register.lastName')} autoComplete="off" maxLength={NAME_MAX} {...form.getInputProps('lastName')} />
            <TextInput
              label={t('register.birthYear')}
              inputMode="numeric"
              autoComplete="off"
              maxLength={4}
              placeholder="1984"
              {...form.getInputProps('birthYear')}
            />
            <TextInput
              label={t('register.phone')}
              type="tel"
              autoComplete="off"
              maxLength={30}
              {...form.getInputProps('phone')}
            />
          </SimpleGrid>

          {similar.length > 0 ? (
            <Stack gap={6} role="region" aria-label={t('register.possibleMatches')}>
              <Text size="sm" fw={600}>
                {t('register.possibleMatches')}
              </Text>
              <Group gap="xs">
                {similar.map((person) => (
                  <Button key={person.id} variant="light" color="gray" onClick={() => onUseExisting(person)}>
                    {t('register.useThisPerson', { name: `${shortName(person)} (${person.code})` })}
                  </Button>
                ))}
              </Group>
            </Stack>
          ) : null}

          <FormAlert error={alertError} />

          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onCancel}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" size="lg" leftSection={<IconUserPlus aria-hidden size={20} />} loading={create.isPending}>
              {t('register.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  )
}
