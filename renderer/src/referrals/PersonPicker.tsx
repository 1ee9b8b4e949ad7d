import { Select } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useParticipantSearch } from '../hooks/queries'
import { shortName } from '../lib/format'

interface Props {
  value: number | null
  onChange: (id: number | null) => void
  error?: string | null
  autoFocus?: boolean
  /** Defaults to the referral's "Person" (required); an incident names its own, optional one. */
  label?: string
  placeholder?: string
  required?: boolean
}

/** Finds a person with the desk's own search (names, nickname, code, birth year, phone digits). */
export function PersonPicker({ value, onChange, error, autoFocus, label, placeholder, required = true }: Props) {
  const { t } = useTranslation()
  const [text, setText] = useState('')
  const [debounced] = useDebouncedValue(text.trim(), 150)
  const search = useParticipantSearch(debounced)
  const people = debounced ? (search.data ?? []) : []
  const data = people.map((person) => ({
    value: String(person.id),
    label: `${shortName(person)} · ${person.code}${person.birthYear ? ` · ${person.birthYear}` : ''}`,
  }))
  return (
    <Select
      label={label ?? t('referrals.person')}
      placeholder={placeholder ?? t('referrals.personPlaceholder')}
      required={required}
      clearable={!required}
      searchable
      autoFocus={autoFocus}
      searchValue={text}
      onSearchChange={setText}
      // Main's search already matched (typos, codes, phone digits): show its answer as it is.
      filter={({ options }) => options}
      data={data}
      value={value === null ? null : String(value)}
      onChange={(next) => onChange(next ? Number(next) : null)}
      nothingFoundMessage={debounced && !search.isFetching ? t('referrals.personNone') : undefined}
      error={error}
      data-path="participantId"
    />
  )
}
