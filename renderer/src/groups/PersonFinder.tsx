import { Button, Group, Stack, Text, TextInput } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { IconUserPlus } from '@tabler/icons-react'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useParticipantSearch } from '../hooks/queries'
import { shortName } from '../lib/format'

const SHOWN = 6

interface Props {
  label: string
  /** What the button beside each person does ("Enroll", "Add"). */
  action: string
  onPick: (participantId: number) => void
  busy?: boolean
}

/**
 * Finds a person with the desk's search and acts on them in one step: type, Tab to the person,
 * Enter. The box empties after each pick, ready for the next one.
 */
export function PersonFinder({ label, action, onPick, busy }: Props) {
  const { t } = useTranslation()
  const resultsId = useId()
  const [text, setText] = useState('')
  const [debounced] = useDebouncedValue(text.trim(), 150)
  const search = useParticipantSearch(debounced)
  const people = debounced ? (search.data ?? []).slice(0, SHOWN) : []
  return (
    <Stack gap={6}>
      <TextInput label={label} placeholder={t('referrals.personPlaceholder')} value={text} onChange={(event) => setText(event.currentTarget.value)} aria-controls={resultsId} autoComplete="off" />
      <div id={resultsId} aria-live="polite">
        {debounced && !search.isFetching && people.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('referrals.personNone')}
          </Text>
        ) : null}
        <Group gap="xs">
          {people.map((person) => (
            <Button
              key={person.id}
              variant="default"
              leftSection={<IconUserPlus aria-hidden size={16} />}
              loading={busy}
              aria-label={`${action}: ${shortName(person)} · ${person.code}`}
              onClick={() => {
                onPick(person.id)
                setText('')
              }}
            >
              {`${shortName(person)} · ${person.code}${person.birthYear ? ` · ${person.birthYear}` : ''}`}
            </Button>
          ))}
        </Group>
      </div>
    </Stack>
  )
}
