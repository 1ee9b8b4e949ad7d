import { Select } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useParticipantSearch } from '../hooks/queries'
import { fullName } from '../lib/format'
import type { Person } from '../lib/types'

export interface ChosenPerson {
  id: number
  label: string
}

interface Props {
  value: ChosenPerson | null
  onChange: (person: ChosenPerson | null) => void
}

function label(person: Person): string {
  return [fullName(person), person.code, person.birthYear].filter(Boolean).join(' · ')
}

/**
 * The log's Person filter: the desk's own search (names, nickname, code or a merged record's
 * code, phone digits), full names for the admin. The chosen person stays in the list while the
 * next search is typed, so the field keeps its label.
 */
export function AuditPersonFilter({ value, onChange }: Props) {
  const { t } = useTranslation()
  const [text, setText] = useState(value?.label ?? '')
  const [debounced] = useDebouncedValue(text.trim(), 150)
  const search = useParticipantSearch(debounced)
  const found = debounced ? (search.data ?? []) : []
  const data = found.map((person) => ({ value: String(person.id), label: label(person) }))
  if (value && !data.some((option) => option.value === String(value.id))) data.unshift({ value: String(value.id), label: value.label })
  return (
    <Select
      label={t('audit.person')}
      placeholder={t('audit.personPlaceholder')}
      description={t('audit.personHint')}
      clearable
      searchable
      searchValue={text}
      onSearchChange={setText}
      // Main's search already matched (typos, codes, phone digits): show its answer as it is.
      filter={({ options }) => options}
      data={data}
      value={value ? String(value.id) : null}
      onChange={(next, option) => onChange(next ? { id: Number(next), label: option?.label ?? next } : null)}
      nothingFoundMessage={debounced && !search.isFetching ? t('audit.personNone') : undefined}
    />
  )
}
