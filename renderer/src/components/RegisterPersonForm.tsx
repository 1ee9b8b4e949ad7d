import { Button, CloseButton, Collapse, Group, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core'
import { useForm } from '@mantine/form'
import { useDebouncedValue } from '@mantine/hooks'
import { IconChevronDown, IconUserPlus } from '@tabler/icons-react'
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { useCreateParticipant, useDuplicates, useFieldRules, type DuplicateInput } from '../hooks/queries'
import { fieldErrors } from '../lib/errors'
import { DEFAULT_RULES, INPUTS, INPUT_NAMES, checkInput, emptyFieldValues, fieldInput, type FieldValues, type InputName } from '../lib/fields'
import { focusFirstError } from '../lib/forms'
import type { Person } from '../lib/types'
import * as rules from '../lib/validation'
import { DuplicateWarnings, isStrong } from './DuplicateWarnings'
import { FormAlert } from './FormAlert'
import { ParticipantFields } from './ParticipantFields'

interface Props {
  /** What was typed in the search box, to start the form with. */
  typed: string
  onCreated: (person: Person) => void
  onUseExisting: (person: Person) => void
  onCancel: () => void
}

const NAME_MAX = 60
/** Always in view when not hidden; the rest waits under "More details" unless required. */
const CORE: readonly InputName[] = ['lastName', 'birthDate', 'birthYear', 'phone']
const FORM_FIELDS = ['firstName', 'nickname', ...INPUT_NAMES] as const

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

type Values = FieldValues & { firstName: string; nickname: string }

/** What is worth asking about duplicates: a name of two letters or more, or a phone number. */
function duplicateQuery(values: Values): DuplicateInput | null {
  const input: DuplicateInput = {}
  const put = (key: keyof DuplicateInput, value: string) => {
    const text = value.trim()
    if (text) (input as Record<string, string | number>)[key] = key === 'birthYear' ? Number(text) : text
  }
  put('firstName', values.firstName)
  put('nickname', values.nickname)
  put('lastName', values.lastName)
  if (/^\d{4}$/.test(values.birthYear.trim())) put('birthYear', values.birthYear)
  if (/^\d{4}-\d{2}-\d{2}$/.test(values.birthDate)) put('birthDate', values.birthDate)
  if (values.phone.replace(/\D/g, '').length >= 7) put('phone', values.phone)
  const named = (input.firstName?.length ?? 0) >= 2 || (input.nickname?.length ?? 0) >= 2
  return named || input.phone ? input : null
}

/**
 * Registers a walk-in with as little as a first name or a nickname (plus whatever the admin has
 * made required), then goes straight on to signing them in. While the desk types, people who
 * may already be registered are shown, so nobody is registered twice.
 */
export function RegisterPersonForm({ typed, onCreated, onUseExisting, onCancel }: Props) {
  const { t } = useTranslation()
  const create = useCreateParticipant()
  const fieldRules = useFieldRules().data ?? DEFAULT_RULES
  const headingId = useId()
  const prefill = prefillFromSearch(typed)
  const [more, setMore] = useState(false)
  const [dismissed, setDismissed] = useState<ReadonlySet<number>>(new Set())
  const [choiceNeeded, setChoiceNeeded] = useState(false)

  const form = useForm<Values>({
    initialValues: { ...emptyFieldValues(), firstName: prefill.firstName, nickname: '', lastName: prefill.lastName },
    validate: (values) => {
      const errors: Record<string, string | null> = {
        firstName:
          !values.firstName.trim() && !values.nickname.trim()
            ? t('validation.nameOrNickname')
            : rules.optionalMax(t, values.firstName, NAME_MAX),
        nickname: rules.optionalMax(t, values.nickname, NAME_MAX),
      }
      for (const name of INPUT_NAMES) errors[name] = checkInput(t, name, values[name], fieldRules, values)
      return errors
    },
    // A birth date gives the birth year for free.
    onValuesChange: (values, previous) => {
      if (values.birthDate !== previous.birthDate && /^\d{4}-/.test(values.birthDate) && !values.birthYear.trim()) {
        form.setFieldValue('birthYear', values.birthDate.slice(0, 4))
      }
    },
  })

  // The first field still empty is where the desk will type next.
  const firstRef = useRef<HTMLInputElement>(null)
  const lastRef = useRef<HTMLInputElement>(null)
  useEffect(() => {
    ;(prefill.firstName && !prefill.lastName && fieldRules.lastName !== 'hidden' ? lastRef : firstRef).current?.focus()
    // Only when the form opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  const [dupInput] = useDebouncedValue(duplicateQuery(form.values), 300)
  const duplicates = useDuplicates(dupInput)
  const candidates = dupInput ? (duplicates.data ?? []).filter((c) => !dismissed.has(c.id)).slice(0, 3) : []
  const strongPending = candidates.some(isStrong)

  const ruleOf = (name: InputName) => fieldRules[INPUTS[name].rule]
  // Up front: the usual few, and anything the center made required. The rest under "More details".
  const upFront = INPUT_NAMES.filter((name) => CORE.includes(name) || ruleOf(name) === 'required')
  const extraOptional = INPUT_NAMES.filter((name) => !upFront.includes(name) && ruleOf(name) === 'optional')

  const submit = form.onSubmit(
    (values) => {
      // A strong match (same name and year, same phone) needs an answer before a new record.
      if (strongPending) {
        setChoiceNeeded(true)
        document.querySelector<HTMLElement>('[data-duplicate-choice]')?.focus()
        return
      }
      create.mutate(
        { firstName: values.firstName, nickname: values.nickname, ...fieldInput(values, fieldRules) },
        {
          onSuccess: onCreated,
          onError: (error) => {
            const errors = fieldErrors(error, FORM_FIELDS)
            form.setErrors(errors)
            focusFirstError(errors)
          },
        },
      )
    },
    (errors) => {
      // A likely duplicate comes first: if it is the same person, nothing else needs filling in.
      if (strongPending) {
        setChoiceNeeded(true)
        document.querySelector<HTMLElement>('[data-duplicate-choice]')?.focus()
        return
      }
      // A required field under "More details" must be in view to be fixed.
      if (Object.keys(errors).some((name) => extraOptional.includes(name as InputName))) setMore(true)
      requestAnimationFrame(() => focusFirstError(errors))
    },
  )

  function onKeyDown(event: KeyboardEvent<HTMLFormElement>): void {
    if (event.key === 'Escape') {
      event.preventDefault()
      onCancel()
    }
  }

  const alertError = create.error && Object.keys(fieldErrors(create.error, FORM_FIELDS)).length === 0 ? create.error : null

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
          </SimpleGrid>
          <ParticipantFields form={form} rules={fieldRules} names={upFront} inputRef={(name) => (name === 'lastName' ? lastRef : undefined)} />

          <DuplicateWarnings
            candidates={candidates}
            choiceNeeded={choiceNeeded && strongPending}
            onUse={onUseExisting}
            onDismiss={(id) => {
              setDismissed((previous) => new Set([...previous, id]))
              setChoiceNeeded(false)
            }}
          />

          {extraOptional.length > 0 ? (
            <Stack gap="xs">
              <Button
                variant="subtle"
                w="fit-content"
                px={4}
                rightSection={<IconChevronDown aria-hidden size={18} style={{ transform: more ? 'rotate(180deg)' : undefined }} />}
                aria-expanded={more}
                onClick={() => setMore((open) => !open)}
              >
                {t('register.moreDetails')}
              </Button>
              <Collapse expanded={more}>
                <ParticipantFields form={form} rules={fieldRules} names={extraOptional} />
              </Collapse>
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
