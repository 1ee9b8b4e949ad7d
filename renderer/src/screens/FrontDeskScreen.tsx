import { Grid, Paper, Stack } from '@mantine/core'
import { useHotkeys } from '@mantine/hooks'
import { useRef, useState } from 'react'
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
  const [text, setText] = useState('')
  const [task, setTask] = useState<Task>({ kind: 'none' })
  // A new number each time a panel opens, so opening it again starts from a clean form.
  const seq = useRef(0)
  const searchRef = useRef<HTMLInputElement>(null)
  const openProfile = useOpenProfile()

  const focusSearch = () => {
    searchRef.current?.focus()
    searchRef.current?.select()
  }
  const open = (next: { kind: 'check-in'; visitor: Visitor } | { kind: 'register'; typed: string }) => {
    seq.current += 1
    setTask({ ...next, seq: seq.current })
  }
  const checkIn = (person: Person) => {
    setText('')
    open({ kind: 'check-in', visitor: { kind: 'person', person } })
  }
  const register = (typed: string) => {
    setText('')
    open({ kind: 'register', typed })
  }
  const anonymous = (code?: string) => {
    setText('')
    open({ kind: 'check-in', visitor: { kind: 'anonymous', code: code ?? '' } })
  }
  const finish = () => {
    setTask({ kind: 'none' })
    setText('')
    // After React has removed the panel, so nothing steals the focus back.
    requestAnimationFrame(focusSearch)
  }
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
          register(text)
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
          <Paper withBorder radius="md" p="md">
            <DeskCenterLine />
            <PersonSearch
              text={text}
              onTextChange={setText}
              onSelect={checkIn}
              onProfile={(person) => openProfile(person.id)}
              onRegister={register}
              onAnonymous={anonymous}
              inputRef={searchRef}
            />
          </Paper>
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
