import { Box, Button, Group, Kbd, Loader, Stack, Text, TextInput, VisuallyHidden } from '@mantine/core'
import { IconSearch, IconUserPlus, IconUserQuestion } from '@tabler/icons-react'
import { useQueryClient } from '@tanstack/react-query'
import { memo, useCallback, useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode, type Ref } from 'react'
import { useTranslation } from 'react-i18next'
import { anonymousCodesQuery, searchQuery, useMatchingCodes, useParticipantSearch } from '../hooks/queries'
import type { AnonymousCodeSummary as AnonymousCode } from '../lib/types'
import { codePrefix } from '../lib/validation'
import { currentLanguage } from '../i18n'
import { errorMessage } from '../lib/errors'
import { formatLastVisit, shortName } from '../lib/format'
import { MARKS, usePaintedMark } from '../lib/perf'
import type { Person } from '../lib/types'

interface Props {
  text: string
  onTextChange: (text: string) => void
  onSelect: (person: Person) => void
  /** Shift+Enter on a person: their profile instead of a check-in. */
  onProfile: (person: Person) => void
  onRegister: (typed: string) => void
  /** An anonymous visit, with the code of a returning anonymous visitor when one was picked. */
  onAnonymous: (code?: string) => void
  inputRef: Ref<HTMLInputElement>
}

const NO_CODES: AnonymousCode[] = []
/** One element for every render: the field's spinner never renders again. */
const SPINNER = <Loader size="xs" />

type Option = { kind: 'person'; person: Person } | { kind: 'code'; code: AnonymousCode } | { kind: 'register'; text: string }

function optionKey(option: Option): string {
  return option.kind === 'person' ? `p${option.person.id}` : option.kind === 'code' ? `c${option.code.code}` : 'register'
}

/**
 * An option's two lines as plain elements with the stylesheet's classes (.pl-option-*), not
 * Mantine's Stack and Text: each answer renders up to twenty new rows, and Mantine's props and
 * styles resolution per element was most of what a row cost.
 */
function OptionLines({ name, facts, icon }: { name: string; facts: string; icon?: ReactNode }) {
  return (
    <div className="pl-option-lines">
      {icon ? (
        <div className="pl-option-name-row">
          {icon}
          <p className="pl-option-name">{name}</p>
        </div>
      ) : (
        <p className="pl-option-name">{name}</p>
      )}
      <p className="pl-option-facts">{facts}</p>
    </div>
  )
}

/** Memoized, as PersonOption: the list renders again for each keystroke and each answer, its rows only when they change. */
const CodeOption = memo(function CodeOption({ code }: { code: AnonymousCode }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const facts = [
    t('search.visits', { count: code.visits }),
    code.lastVisitAt ? t('search.lastVisit', { date: formatLastVisit(code.lastVisitAt, language) }) : null,
  ]
    .filter(Boolean)
    .join(' · ')
  return (
    <OptionLines
      name={t('search.anonymousCodeOption', { code: code.code })}
      facts={facts}
      icon={<IconUserQuestion aria-hidden size={20} color="var(--mantine-color-gray-7)" style={{ flexShrink: 0 }} />}
    />
  )
})

/** What a person's row shows: two answers hold the same person as different objects. */
function samePerson(a: Person, b: Person): boolean {
  return (
    a === b ||
    (a.id === b.id &&
      a.firstName === b.firstName &&
      a.nickname === b.nickname &&
      a.lastName === b.lastName &&
      a.birthYear === b.birthYear &&
      a.code === b.code &&
      a.lastVisitAt === b.lastVisitAt &&
      a.phoneLast4 === b.phoneLast4)
  )
}

/**
 * One person's row. Each keystroke's answer is new objects, most of them people the last answer
 * showed too ("mar" then "mari"): compared by what the row shows, those rows skip rendering.
 */
const PersonOption = memo(
  function PersonOption({ person }: { person: Person }) {
    const { t } = useTranslation()
    const language = currentLanguage()
    // Everything needed to tell two "Mike"s apart, on one line under the name.
    const facts = [
      person.birthYear ? t('search.born', { year: person.birthYear }) : t('search.birthUnknown'),
      t('search.code', { code: person.code }),
      person.lastVisitAt ? t('search.lastVisit', { date: formatLastVisit(person.lastVisitAt, language) }) : t('search.neverVisited'),
      person.phoneLast4 ? t('search.phone', { last4: person.phoneLast4 }) : null,
    ].filter(Boolean)
    return <OptionLines name={shortName(person)} facts={facts.join(' · ')} />
  },
  (a, b) => samePerson(a.person, b.person),
)

const OPTION_STYLE = {
  cursor: 'pointer',
  padding: 'var(--mantine-spacing-xs) var(--mantine-spacing-md)',
  minHeight: 48,
  display: 'flex',
  alignItems: 'center',
  justifyContent: 'space-between',
  gap: 12,
} as const
const LATER_OPTION_STYLE = { ...OPTION_STYLE, borderTop: '1px solid var(--mantine-color-gray-2)' } as const

interface OptionRowProps {
  option: Option
  index: number
  id: string
  selected: boolean
  /** What Enter would pick: marked with the Enter key. */
  enter: boolean
}

/**
 * One option, a plain li: each keystroke renders the list twice (the text, the answer; a third
 * time when anonymous codes match), and a row whose person, place and marks are the same skips it.
 */
const OptionRow = memo(
  function OptionRow({ option, index, id, selected, enter }: OptionRowProps) {
    const { t } = useTranslation()
    return (
      <li id={id} role="option" aria-selected={selected} className="pl-option" data-active={enter} data-option-index={index} style={index > 0 ? LATER_OPTION_STYLE : OPTION_STYLE}>
        {option.kind === 'person' ? (
          <PersonOption person={option.person} />
        ) : option.kind === 'code' ? (
          <CodeOption code={option.code} />
        ) : (
          <Group gap="xs" c="porch.8">
            <IconUserPlus aria-hidden size={20} />
            <Text fw={600}>{t('search.registerOption', { text: option.text })}</Text>
          </Group>
        )}
        {enter ? <Kbd aria-hidden>{t('search.enterHint')} ↵</Kbd> : null}
      </li>
    )
  },
  // The options are built anew for each render; what they show is the same person, code or text.
  (a, b) => a.index === b.index && a.id === b.id && a.selected === b.selected && a.enter === b.enter && sameOption(a.option, b.option),
)

function sameOption(a: Option, b: Option): boolean {
  if (a.kind === 'person' && b.kind === 'person') return samePerson(a.person, b.person)
  if (a.kind === 'code' && b.kind === 'code') return a.code === b.code
  return a.kind === 'register' && b.kind === 'register' && a.text === b.text
}

/** Register and anonymous: the same for every keystroke, so memoized apart from the list and the field. */
const SearchActions = memo(function SearchActions({ onRegister, onAnonymous }: { onRegister: () => void; onAnonymous: (code?: string) => void }) {
  const { t } = useTranslation()
  return (
    <Group gap="sm">
      <Button
        variant="light"
        leftSection={<IconUserPlus aria-hidden size={18} />}
        rightSection={<Kbd size="xs" aria-hidden>Alt+N</Kbd>}
        aria-keyshortcuts="Alt+N"
        onClick={onRegister}
      >
        {t('search.registerNew')}
      </Button>
      <Button
        variant="default"
        leftSection={<IconUserQuestion aria-hidden size={18} />}
        rightSection={<Kbd size="xs" aria-hidden>Alt+A</Kbd>}
        aria-keyshortcuts="Alt+A"
        onClick={() => onAnonymous()}
      >
        {t('search.anonymous')}
      </Button>
    </Group>
  )
})

/**
 * "Find a person": a combobox whose results are a listbox right below it. Focus stays in
 * the field; ArrowUp/Down move the active option (aria-activedescendant), Enter picks it.
 * With no option chosen, Enter takes the first person, or registers the typed name when
 * nobody matches. The last option always offers to register what was typed.
 */
export function PersonSearch({ text, onTextChange, onSelect, onProfile, onRegister, onAnonymous, inputRef }: Props) {
  const { t } = useTranslation()
  const listId = useId()
  const client = useQueryClient()
  const trimmed = text.trim()
  // No fixed delay (a search answers in a millisecond or two): each keystroke asks at once and
  // shows the last answer until its own comes. Not through useDeferredValue either: the rows
  // skip rendering when unchanged, so the keystroke's render is cheap, and a deferred text
  // cost a third render (and a task) per keystroke between the key and the answer. Answers are
  // kept per text, so a late answer to an earlier keystroke never shows as the latest one's.
  const search = useParticipantSearch(trimmed)
  // Results belong to the text they were asked for; anything else is on its way out.
  const fresh = !search.isPlaceholderData && !search.isFetching
  const people = trimmed ? (search.data ?? []) : []
  // A code-like word also finds returning anonymous visitors by the code they chose: asked for
  // after the people, so that their answer comes first.
  const prefix = codePrefix(trimmed)
  const matching = useMatchingCodes(prefix, fresh)
  const codes = matching.data ?? NO_CODES
  // "Nobody matches" waits for the codes too. Their status is read only then: read, it is
  // followed, and each keystroke's codes answer would render the card once more.
  const noMatch = Boolean(trimmed) && fresh && people.length === 0 && codes.length === 0 && (!prefix || matching.status !== 'pending')
  usePaintedMark(MARKS.search, trimmed && fresh ? trimmed : null)
  const options: Option[] = trimmed
    ? [
        ...people.map((person): Option => ({ kind: 'person', person })),
        ...codes.map((code): Option => ({ kind: 'code', code })),
        { kind: 'register', text: trimmed },
      ]
    : []

  // The active option is tied to who it is, not to its place: if the next keystroke's results
  // still hold that person, they stay chosen; if not, nothing is chosen.
  const [activeKey, setActiveKey] = useState<string | null>(null)
  const activeIndex = activeKey === null ? -1 : options.findIndex((option) => optionKey(option) === activeKey)

  const optionId = (index: number) => `${listId}-option-${index}`
  // What Enter would pick right now: the active option, else the first person, else "register".
  const enterIndex = activeIndex >= 0 ? activeIndex : options.length > 0 ? 0 : -1

  function choose(option: Option | undefined): void {
    if (!option) return
    setActiveKey(null)
    if (option.kind === 'person') onSelect(option.person)
    else if (option.kind === 'code') onAnonymous(option.code.code)
    else onRegister(option.text)
  }

  // Enter pressed before the answer for the latest keystroke came: ask now, then act on that
  // answer, unless the text has changed again meanwhile.
  const latestText = useRef(trimmed)
  useEffect(() => {
    latestText.current = trimmed
  }, [trimmed])
  // The register button reads the text when clicked, so it need not render with every keystroke.
  const registerTyped = useCallback(() => onRegister(latestText.current), [onRegister])
  // The codes' answer comes after the people's: Enter waits for both, so that a code typed and
  // entered at once picks the returning visitor, not "register" (nobody is called SUN42).
  function whenFresh(asked: string, wanted: string | null, then: (option: Option | undefined) => void): void {
    const askedPrefix = codePrefix(asked)
    void Promise.all([client.fetchQuery(searchQuery(asked)), askedPrefix ? client.fetchQuery(anonymousCodesQuery(askedPrefix)) : NO_CODES]).then(([found, codes]) => {
      if (latestText.current !== asked) return
      const answered: Option[] = [...found.map((person): Option => ({ kind: 'person', person })), ...codes.map((code): Option => ({ kind: 'code', code }))]
      then(answered.find((option) => optionKey(option) === wanted) ?? answered[0])
    })
  }
  const codesAnswered = () => !prefix || client.getQueryState(anonymousCodesQuery(prefix).queryKey)?.status === 'success'

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>): void {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (options.length === 0) return
      event.preventDefault()
      const step = event.key === 'ArrowDown' ? 1 : -1
      const from = activeIndex < 0 ? (step > 0 ? -1 : options.length) : activeIndex
      const next = options[(from + step + options.length) % options.length]
      setActiveKey(next ? optionKey(next) : null)
    } else if (event.key === 'Enter' && event.shiftKey) {
      event.preventDefault()
      if (!trimmed) return
      if (!fresh) {
        // As with Enter: a profile asked for before the latest answer came opens once it has.
        whenFresh(trimmed, activeKey, (option) => {
          if (option?.kind === 'person') onProfile(option.person)
        })
        return
      }
      const option = options[enterIndex]
      if (option?.kind === 'person') onProfile(option.person)
    } else if (event.key === 'Enter') {
      event.preventDefault()
      if (!trimmed) return
      if (fresh && codesAnswered()) choose(options[enterIndex])
      else whenFresh(trimmed, activeKey, (option) => choose(option ?? { kind: 'register', text: trimmed }))
    } else if (event.key === 'Escape' && text) {
      event.preventDefault()
      setActiveKey(null)
      onTextChange('')
    }
  }

  const expanded = options.length > 0
  const searching = Boolean(trimmed) && !fresh

  return (
    <Stack gap="sm">
      <TextInput
        ref={inputRef}
        size="lg"
        label={t('search.label')}
        description={t('search.shortcutHint')}
        placeholder={t('search.placeholder')}
        value={text}
        onChange={(event) => {
          const typed = event.currentTarget.value
          // Ask main now, from the keystroke itself: the answer is on its way while React renders
          // the new text, whose query finds it in flight.
          if (typed.trim()) void client.prefetchQuery(searchQuery(typed))
          onTextChange(typed)
        }}
        onKeyDown={onKeyDown}
        leftSection={<IconSearch aria-hidden size={20} />}
        // Always there, so the field's padding stays put; the spinner shows only once an answer
        // is slow (styles.css), as the list's dimming does: a keystroke changes one attribute.
        rightSection={
          <span className="pl-search-busy" data-busy={searching} aria-hidden>
            {SPINNER}
          </span>
        }
        role="combobox"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={activeIndex >= 0 ? optionId(activeIndex) : undefined}
        aria-keyshortcuts="Control+K / Shift+Enter"
        autoComplete="off"
        spellCheck={false}
        maxLength={100}
        autoFocus
      />
      <VisuallyHidden role="status" aria-live="polite">
        {trimmed && fresh ? t('search.matches', { count: people.length }) : ''}
      </VisuallyHidden>
      {search.isError && trimmed ? (
        <Text c="red.8" role="alert">
          {errorMessage(t, currentLanguage(), search.error)}
        </Text>
      ) : null}
      {noMatch ? <Text c="dimmed">{t('search.noMatch', { text: trimmed })}</Text> : null}
      <Box
        component="ul"
        id={listId}
        role="listbox"
        aria-label={t('search.results')}
        aria-busy={searching}
        className="pl-results"
        hidden={!expanded}
        m={0}
        p={0}
        style={{
          listStyle: 'none',
          border: '1px solid var(--mantine-color-gray-3)',
          borderRadius: 'var(--mantine-radius-md)',
          overflow: 'hidden',
        }}
        // Keep the focus in the field while clicking, as a combobox should.
        onMouseDown={(event) => event.preventDefault()}
        // One handler for every option (by its place), so the rows need no callback of their own.
        onClick={(event) => {
          const row = (event.target as HTMLElement).closest<HTMLElement>('[data-option-index]')
          if (row) choose(options[Number(row.dataset.optionIndex)])
        }}
      >
        {options.map((option, index) => (
          <OptionRow key={optionKey(option)} option={option} index={index} id={optionId(index)} selected={index === activeIndex} enter={index === enterIndex} />
        ))}
      </Box>
      <SearchActions onRegister={registerTyped} onAnonymous={onAnonymous} />
    </Stack>
  )
}
