import { AppShell, Grid, Paper, Stack } from '@mantine/core'
import { useHotkeys } from '@mantine/hooks'
import { useRef, useState } from 'react'
import { AppHeader } from '../components/AppHeader'
import { CheckInPanel, type Visitor } from '../components/CheckInPanel'
import { PersonSearch } from '../components/PersonSearch'
import { RegisterPersonForm } from '../components/RegisterPersonForm'
import { TodayVisits } from '../components/TodayVisits'
import { isTextEntry } from '../lib/keyboard'
import type { Person, Staff } from '../lib/types'

/** What the left side of the desk is doing besides searching. */
type Task = { kind: 'none' } | { kind: 'check-in'; visitor: Visitor; seq: number } | { kind: 'register'; typed: string; seq: number }

/**
 * The main screen: find or register a person, sign them in, see today's visits. Built for the
 * keyboard: the search field has focus on arrival and after each sign-in; Ctrl+K or / return
 * to it from anywhere, Alt+N registers a new person, Alt+A starts an anonymous visit.
 */
export function FrontDeskScreen({ centerName, staff }: { centerName: string; staff: Staff }) {
  const [text, setText] = useState('')
  const [task, setTask] = useState<Task>({ kind: 'none' })
  // A new number each time a panel opens, so opening it again starts from a clean form.
  const seq = useRef(0)
  const searchRef = useRef<HTMLInputElement>(null)

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
  const anonymous = () => {
    setText('')
    open({ kind: 'check-in', visitor: { kind: 'anonymous' } })
  }
  const finish = () => {
    setTask({ kind: 'none' })
    setText('')
    // After React has removed the panel, so nothing steals the focus back.
    requestAnimationFrame(focusSearch)
  }

  // Ctrl+K and the Alt shortcuts work even while typing in a field; "/" only outside text fields.
  useHotkeys(
    [
      ['ctrl+K', focusSearch],
      ['alt+N', () => register(text)],
      ['alt+A', anonymous],
    ],
    [],
  )
  useHotkeys(
    [
      [
        '/',
        (event: KeyboardEvent) => {
          // A "/" typed into a field is just a character; anywhere else it means "search".
          if (isTextEntry(event.target)) return
          event.preventDefault()
          focusSearch()
        },
        { preventDefault: false },
      ],
    ],
    [],
  )

  return (
    <AppShell header={{ height: 64 }} padding="md">
      <AppShell.Header>
        <AppHeader centerName={centerName} staff={staff} />
      </AppShell.Header>
      <AppShell.Main>
        <Grid gap="md" align="flex-start">
          <Grid.Col span={{ base: 12, lg: 6 }}>
            <Stack gap="md">
              <Paper withBorder radius="md" p="md">
                <PersonSearch
                  text={text}
                  onTextChange={setText}
                  onSelect={checkIn}
                  onRegister={register}
                  onAnonymous={anonymous}
                  inputRef={searchRef}
                />
              </Paper>
              {task.kind === 'check-in' ? (
                <CheckInPanel key={task.seq} visitor={task.visitor} onDone={finish} onCancel={finish} />
              ) : null}
              {task.kind === 'register' ? (
                <RegisterPersonForm
                  key={task.seq}
                  typed={task.typed}
                  onCreated={checkIn}
                  onUseExisting={checkIn}
                  onCancel={finish}
                />
              ) : null}
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 6 }}>
            <TodayVisits />
          </Grid.Col>
        </Grid>
      </AppShell.Main>
    </AppShell>
  )
}
