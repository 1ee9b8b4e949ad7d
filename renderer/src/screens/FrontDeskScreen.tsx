import { Grid, Paper, Stack } from '@mantine/core'
import { useHotkeys } from '@mantine/hooks'
import { memo, useCallback, useImperativeHandle, useRef, useState, type Ref, type RefObject } from 'react'
import { CheckInPanel, type Visitor } from '../components/CheckInPanel'
import { DeskCenterLine } from '../components/CenterSwitcher'
import { PersonSearch } from '../components/PersonSearch'
import { useOpenProfile } from '../components/ProfileContext'
import { RegisterPersonForm } from '../components/RegisterPersonForm'
import { TodayBoard } from '../components/TodayBoard'
import { isTextEntry } from '../lib/keyboard'
import type { Person } from '../lib/types'

/** What the left side of the desk is doing besides searching. */
type Task = { kind: 'none' } | { kind: 'check-in'; visitor: Visitor; seq: number } | { kind: 'register'; typed: string; seq: number }

/** What the desk asks of its search card: the text typed so far (Alt+N registers it), and to empty it. */
interface SearchHandle {
  text: () => string
  clear: () => void
}

interface DeskSearchProps {
  handle: Ref<SearchHandle>
  inputRef: RefObject<HTMLInputElement | null>
  onSelect: (person: Person) => void
  onProfile: (person: Person) => void
  onRegister: (typed: string) => void
  onAnonymous: (code?: string) => void
}

/**
 * The search card holds the typed text itself: a keystroke renders this card (two or three
 * times: the text, the deferred text, the answer), not the desk's grid, the panel beside it or
 * the board's column. Its callbacks are the desk's stable ones, so nothing else renders it.
 */
const DeskSearch = memo(function DeskSearch({ handle, inputRef, onSelect, onProfile, onRegister, onAnonymous }: DeskSearchProps) {
  const [text, setText] = useState('')
  useImperativeHandle(handle, () => ({ text: () => text, clear: () => setText('') }), [text])
  return (
    <Paper withBorder radius="md" p="md">
      <DeskCenterLine />
      <PersonSearch
        text={text}
        onTextChange={setText}
        onSelect={onSelect}
        onProfile={onProfile}
        onRegister={onRegister}
        onAnonymous={onAnonymous}
        inputRef={inputRef}
      />
    </Paper>
  )
})

interface Props {
  /** False while another screen is shown; the desk stays mounted so nothing half-done is lost. */
  active: boolean
  /** Brings the desk back to the front (Ctrl+K, Alt+N and Alt+A work from any screen). */
  onShow: () => void
}

/**
 * The main screen: find or register a person, sign them in, see today's visits. Built for the
 * keyboard: the search field has focus on arrival and after each sign-in; Ctrl+K or / return
 * to it from anywhere, Alt+N registers a new person, Alt+A starts an anonymous visit.
 */
export function FrontDeskScreen({ active, onShow }: Props) {
  const [task, setTask] = useState<Task>({ kind: 'none' })
  // A new number each time a panel opens, so opening it again starts from a clean form.
  const seq = useRef(0)
  const searchRef = useRef<HTMLInputElement>(null)
  const search = useRef<SearchHandle>(null)
  const openProfile = useOpenProfile()

  // Stable (refs and state setters only), so the memoized search card never renders for them.
  const focusSearch = useCallback(() => {
    searchRef.current?.focus()
    searchRef.current?.select()
  }, [])
  const open = useCallback((next: { kind: 'check-in'; visitor: Visitor } | { kind: 'register'; typed: string }) => {
    search.current?.clear()
    seq.current += 1
    setTask({ ...next, seq: seq.current })
  }, [])
  const checkIn = useCallback((person: Person) => open({ kind: 'check-in', visitor: { kind: 'person', person } }), [open])
  const register = useCallback((typed: string) => open({ kind: 'register', typed }), [open])
  const anonymous = useCallback((code?: string) => open({ kind: 'check-in', visitor: { kind: 'anonymous', code: code ?? '' } }), [open])
  const profile = useCallback((person: Person) => openProfile(person.id), [openProfile])
  const finish = useCallback(() => {
    setTask({ kind: 'none' })
    search.current?.clear()
    // After React has removed the panel, so nothing steals the focus back.
    requestAnimationFrame(focusSearch)
  }, [focusSearch])
  // From another screen, show the desk first; the field can take the focus once it is visible again.
  const showDesk = () => {
    if (!active) onShow()
  }

  // Ctrl+K and the Alt shortcuts work even while typing in a field; "/" only outside text fields.
  useHotkeys(
    [
      [
        'ctrl+K',
        () => {
          showDesk()
          requestAnimationFrame(focusSearch)
        },
      ],
      [
        'alt+N',
        () => {
          showDesk()
          register(search.current?.text() ?? '')
        },
      ],
      [
        'alt+A',
        () => {
          showDesk()
          anonymous()
        },
      ],
    ],
    [],
  )
  useHotkeys(
    [
      [
        '/',
        (event: KeyboardEvent) => {
          // A "/" typed into a field is just a character; anywhere else it means "search".
          if (!active || isTextEntry(event.target)) return
          event.preventDefault()
          focusSearch()
        },
        { preventDefault: false },
      ],
    ],
    [],
  )

  return (
    <Grid gap="md" align="flex-start">
      <Grid.Col span={{ base: 12, lg: 5 }}>
        <Stack gap="md">
          <DeskSearch handle={search} inputRef={searchRef} onSelect={checkIn} onProfile={profile} onRegister={register} onAnonymous={anonymous} />
          {task.kind === 'check-in' ? (
            <CheckInPanel key={task.seq} visitor={task.visitor} onDone={finish} onCancel={finish} />
          ) : null}
          {task.kind === 'register' ? (
            <RegisterPersonForm key={task.seq} typed={task.typed} onCreated={checkIn} onUseExisting={checkIn} onCancel={finish} />
          ) : null}
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 7 }}>
        <TodayBoard />
      </Grid.Col>
    </Grid>
  )
}
