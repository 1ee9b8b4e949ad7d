import { Autocomplete, Select, SimpleGrid, TextInput } from '@mantine/core'
import type { UseFormReturnType } from '@mantine/form'
import type { Ref } from 'react'
import { useTranslation } from 'react-i18next'
import { INPUTS, answerLabel, todayIso, type FieldRules, type FieldValues, type InputName } from '../lib/fields'

interface Props<V extends FieldValues> {
  form: UseFormReturnType<V>
  rules: FieldRules
  /** The inputs to draw here, in order; those whose rule is 'hidden' are left out. */
  names: readonly InputName[]
  inputRef?: (name: InputName) => Ref<HTMLInputElement> | undefined
}

/**
 * Participant fields as the admin set them: hidden ones are absent, required ones carry an
 * asterisk (and aria-required) and are checked before anything is sent.
 */
export function ParticipantFields<V extends FieldValues>({ form, rules, names, inputRef }: Props<V>) {
  const { t } = useTranslation()
  const shown = names.filter((name) => rules[INPUTS[name].rule] !== 'hidden')
  if (shown.length === 0) return null
  // Mantine's path-typed helpers do not narrow through a generic; every name here is a string field of V.
  const values = form.getValues() as FieldValues
  const setValue = form.setFieldValue as (path: InputName, value: string) => void
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" verticalSpacing="sm">
      {shown.map((name) => {
        const kind = INPUTS[name].kind
        const common = {
          label: t(`fields.${name}`),
          required: rules[INPUTS[name].rule] === 'required',
          autoComplete: 'off',
          ref: inputRef?.(name),
          ...form.getInputProps(name),
        }
        switch (kind.kind) {
          case 'text':
            return <TextInput key={name} {...common} maxLength={kind.max} />
          case 'phone':
            return <TextInput key={name} {...common} type="tel" maxLength={30} />
          case 'year':
            return <TextInput key={name} {...common} inputMode="numeric" maxLength={4} placeholder="1984" />
          case 'date':
            return <TextInput key={name} {...common} type="date" max={todayIso()} min="1900-01-01" />
          case 'suggest':
            return (
              <Autocomplete
                key={name}
                {...common}
                data={kind.options.map((value) => answerLabel(t, name, value))}
                maxLength={kind.max}
                onChange={(value) => setValue(name, value)}
              />
            )
          case 'choice':
            return (
              <Select
                key={name}
                {...common}
                data={kind.options.map((value) => ({ value, label: answerLabel(t, name, value) }))}
                value={values[name] || null}
                onChange={(value) => setValue(name, value ?? '')}
                clearable
                clearButtonProps={{ 'aria-label': t('common.clearField', { field: t(`fields.${name}`) }) }}
                allowDeselect
              />
            )
        }
      })}
    </SimpleGrid>
  )
}
