import { Alert, Badge, Button, CloseButton, Group, Kbd, Modal, Paper, Stack, Text, TextInput } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { useId, useMemo, useState, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { SessionSheet } from '../../../electron/ipc/contract'
import { FormAlert } from '../components/FormAlert'
import { useMarkMany, useParticipantSearch } from '../hooks/queries'
import { announce } from '../lib/announce'
import { shortName } from '../lib/format'

interface Person {
  participantId: number
  name: string
  code: string
  /** On the session's list already (roster, marked, or signed in that day). */
  listed: boolean
}

const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim()

/** A typed code, or every typed word the start of a word of the name. */
function matches(person: Person, typed: string): boolean {
  const text = fold(typed)
  if (!text) return false
  if (fold(person.code).startsWith(text.replace(/\s+/g, ''))) return true
  const words = fold(person.name).split(/\s+/)
  return text.split(/\s+/).every((part) => words.some((word) => word.startsWith(part)))
}

/**
 * A paper sign-in sheet entered into a session later, from the keyboard: type a name or a code,
 * Enter marks the first match present (arrows choose another), and the list grows. Saving marks
 * the rest of the session's list absent, after saying how many and who.
 */
export function PaperEntry({ sheet, onDone }: { sheet: SessionSheet; onDone: () => void }) {
  const { t } = useTranslation()
  const inputId = useId()
  const listId = useId()
  const markMany = useMarkMany()
  const [typed, setTyped] = useState('')
  const [active, setActive] = useState(0)
  const [present, setPresent] = useState<Person[]>([])
  const [confirming, setConfirming] = useState(false)
  const [debounced] = useDebouncedValue(typed.trim(), 120)
  const search = useParticipantSearch(debounced)

  const listed = useMemo<Person[]>(
    () => [
      ...sheet.people.map((p) => ({ participantId: p.participantId, name: p.name, code: p.code, listed: true })),
      ...sheet.hereToday.map((p) => ({ participantId: p.participantId, name: p.name, code: p.code, listed: true })),
    ],
    [sheet],
  )
  const chosen = new Set(present.map((p) => p.participantId))
  const fromList = listed.filter((p) => !chosen.has(p.participantId) && matches(p, typed))
  // The search answers for what is typed now, not a keystroke ago, before it is offered.
  const current = debounced === typed.trim() && !search.isPlaceholderData
  const fromSearch: Person[] = current
    ? (search.data ?? [])
        .filter((p) => !chosen.has(p.id) && !fromList.some((l) => l.participantId === p.id))
        .slice(0, 5)
        .map((p) => ({ participantId: p.id, name: shortName(p), code: p.code, listed: false }))
    : []
  const candidates = [...fromList, ...fromSearch]
  const highlighted = Math.min(active, Math.max(0, candidates.length - 1))

  const pick = (person: Person) => {
    setPresent((list) => [...list, person])
    setTyped('')
    setActive(0)
    announce(t('groups.paper.added', { name: person.name, count: present.length + 1 }))
  }

  const onKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault()
      const step = event.key === 'ArrowDown' ? 1 : -1
      setActive(Math.max(0, Math.min(candidates.length - 1, highlighted + step)))
    } else if (event.key === 'Enter') {
      event.preventDefault()
      const person = candidates[highlighted]
      if (person) pick(person)
    }
  }

  const absent = listed.filter((p) => !chosen.has(p.participantId) && sheet.people.some((s) => s.participantId === p.participantId))
  const replaced = sheet.people.filter((p) => p.status !== null && p.status !== (chosen.has(p.participantId) ? 'present' : 'absent')).length
  const save = () =>
    markMany.mutate(
      {
        sessionId: sheet.session.id,
        marks: [...present.map((p) => ({ participantId: p.participantId, status: 'present' as const })), ...absent.map((p) => ({ participantId: p.participantId, status: 'absent' as const }))],
        overwrite: true,
      },
      {
        onSuccess: () => {
          setConfirming(false)
          announce(t('groups.paper.saved', { present: present.length, absent: absent.length }))
          onDone()
        },
      },
    )

  return (
    <Paper withBorder radius="md" p="sm" component="section" aria-label={t('groups.paper.title')}>
      <Stack gap="sm">
        <Text fw={600}>{t('groups.paper.title')}</Text>
        <Text size="sm" c="dimmed">
          {t('groups.paper.help')} <Kbd>Enter</Kbd> · <Kbd>↑</Kbd> <Kbd>↓</Kbd>
        </Text>
        <TextInput
          id={inputId}
          label={t('groups.paper.nameOrCode')}
          value={typed}
          onChange={(event) => {
            setTyped(event.currentTarget.value)
            setActive(0)
          }}
          onKeyDown={onKey}
          autoComplete="off"
          role="combobox"
          aria-expanded={candidates.length > 0}
          aria-controls={listId}
          aria-activedescendant={candidates.length ? `${listId}-${highlighted}` : undefined}
          data-autofocus
          autoFocus
        />
        <ul id={listId} role="listbox" aria-label={t('groups.paper.matches')} style={{ listStyle: 'none', margin: 0, padding: 0 }}>
          {candidates.map((person, index) => (
            <li
              key={person.participantId}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={index === highlighted}
              onMouseDown={(event) => {
                event.preventDefault()
                pick(person)
              }}
              style={{
                padding: '4px 8px',
                borderRadius: 6,
                cursor: 'pointer',
                background: index === highlighted ? 'var(--mantine-color-blue-1)' : undefined,
              }}
            >
              <Text span fw={index === highlighted ? 700 : 400}>{`${person.name} · ${person.code}`}</Text>
              {person.listed ? null : (
                <Badge ml="xs" size="sm" variant="light" color="gray">
                  {t('groups.paper.walkIn')}
                </Badge>
              )}
            </li>
          ))}
        </ul>
        {typed.trim() && current && !search.isFetching && candidates.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('groups.paper.noMatch')}
          </Text>
        ) : null}
        <Text fw={600} id={`${listId}-present`}>
          {t('groups.paper.presentCount', { count: present.length })}
        </Text>
        {present.length ? (
          <Group gap="xs" role="list" aria-labelledby={`${listId}-present`}>
            {present.map((person) => (
              <Badge key={person.participantId} role="listitem" size="lg" variant="light" color="teal" rightSection={<CloseButton size="xs" aria-label={t('groups.paper.remove', { name: person.name })} onClick={() => setPresent((list) => list.filter((p) => p !== person))} />}>
                {person.name}
              </Badge>
            ))}
          </Group>
        ) : null}
        {markMany.error && !confirming ? <FormAlert error={markMany.error} /> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button disabled={present.length === 0 && absent.length === 0} onClick={() => setConfirming(true)}>
            {t('groups.paper.save')}
          </Button>
        </Group>
      </Stack>
      <Modal opened={confirming} onClose={() => setConfirming(false)} title={t('groups.paper.confirmTitle')} closeButtonProps={{ 'aria-label': t('common.close') }}>
        <Stack>
          <Text>{t('groups.paper.confirmPresent', { count: present.length })}</Text>
          <Text>{absent.length ? t('groups.paper.confirmAbsent', { count: absent.length, names: absent.map((p) => p.name).join(', ') }) : t('groups.paper.confirmNoAbsent')}</Text>
          {replaced ? (
            <Alert color="yellow" variant="light">
              {t('groups.paper.confirmReplaced', { count: replaced })}
            </Alert>
          ) : null}
          {markMany.error ? <FormAlert error={markMany.error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              {t('groups.paper.back')}
            </Button>
            <Button onClick={save} loading={markMany.isPending} data-autofocus>
              {t('groups.paper.confirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  )
}
