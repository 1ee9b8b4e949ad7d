import { Alert, Badge, Button, Group, Kbd, Loader, Modal, NumberInput, Paper, Stack, Text, TextInput, Textarea, Title, UnstyledButton } from '@mantine/core'
import { IconArrowLeft, IconClipboardText, IconFlag, IconPrinter, IconUserPlus, IconUsersGroup } from '@tabler/icons-react'
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { AttendanceMark, AttendanceStatus, GroupSession, SessionSheet } from '../../../electron/ipc/contract'
import { invoke, isApiError } from '../bridge'
import { FormAlert } from '../components/FormAlert'
import { RegisterPersonForm } from '../components/RegisterPersonForm'
import { currentLanguage } from '../i18n'
import { announce } from '../lib/announce'
import { todayIso } from '../lib/fields'
import { AnonymousAttendance } from './AnonymousAttendance'
import { formatDay } from './format'
import { sessionLocation, useIncidentPlace } from '../incidents/place'
import { PaperEntry } from './PaperEntry'
import { PersonFinder } from './PersonFinder'
import { SessionActions } from './SessionDialogs'
import { useMark, useMarkMany, useRecordSession, useSheet } from '../hooks/queries'
import { usePrintSheet } from '../print/usePrintSheet'
import { SavedPdfOutcome, SavePdfButton, useSavePdf } from '../print/SavePdf'
import { UpdatedCue } from '../components/UpdatedCue'
import { cueKey } from '../hooks/live'
import { SignInSheet } from './SignInSheet'

const STATUSES: readonly AttendanceStatus[] = ['present', 'absent', 'excused', 'late']
/** One key per mark, the same in both languages (the buttons show the letter). */
const KEYS: Record<string, AttendanceStatus> = { p: 'present', a: 'absent', e: 'excused', l: 'late' }
const COLORS: Record<AttendanceStatus, string> = { present: 'teal', absent: 'red', excused: 'gray', late: 'yellow' }

interface Props {
  sessionId: number
  onBack: () => void
}

/**
 * Taking attendance in seconds: one focus stop per person; P, A, E or L marks the person and moves
 * to the next, arrows move between people, a click on a mark works too. Everyone present asks
 * before replacing different marks. Walk-ins are added by search or registered on the spot, and
 * people who signed in at the desk today are one tap away.
 */
export function AttendanceScreen({ sessionId, onBack }: Props) {
  const { t } = useTranslation()
  const headingId = useId()
  const sheet = useSheet(sessionId)
  const sheetPrint = usePrintSheet<true>()
  // The sheet is put on the page while main prints it to a PDF, then taken away again.
  const savingPdf = useSavePdf(() => sheetPrint.whileShown(true, () => invoke('pdf.signInSheet', { sessionId })))
  const [paper, setPaper] = useState(false)
  const shown = sheet.data?.session
  // An incident reported while this session is open starts with its room and, once it is over, its time.
  useIncidentPlace(shown ? { from: shown.groupName, location: sessionLocation(shown.groupName, shown.room), startsAt: shown.startsAt, endsAt: shown.endsAt } : null)

  if (sheet.isPending) return <Loader aria-label={t('groups.loading')} />
  if (sheet.isError) return <FormAlert error={sheet.error} />
  const data = sheet.data
  const session = data.session
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={headingId}>
      <Stack gap="md">
        <Group justify="space-between" align="flex-start">
          <Stack gap={4}>
            <Button variant="subtle" size="compact-sm" leftSection={<IconArrowLeft aria-hidden size={16} />} onClick={onBack} w="fit-content">
              {t('groups.back')}
            </Button>
            <Group gap="xs" align="baseline">
              <Title order={1} size="h3" id={headingId}>
                {session.groupName}
              </Title>
              <UpdatedCue watch={[cueKey('attendance', sessionId)]} />
            </Group>
            <Text c="dimmed" size="sm">
              {[formatDay(session.date, currentLanguage(), true), session.startTime, session.room, data.seriesNumber ? t('groups.seriesNumber', { number: data.seriesNumber }) : null]
                .filter(Boolean)
                .join(' · ')}
            </Text>
          </Stack>
          <Group gap="xs">
            <Badge size="lg" variant="light" color={session.status === 'cancelled' ? 'red' : session.status === 'held' ? 'teal' : 'gray'}>
              {t(`groups.status.${session.status}`)}
            </Badge>
            <Button variant="default" leftSection={<IconPrinter aria-hidden size={18} />} onClick={() => sheetPrint.print(true)}>
              {t('groups.printSheet')}
            </Button>
            <SavePdfButton saving={savingPdf} label={t('groups.saveSheetPdf')} />
            {session.status !== 'cancelled' && session.date <= todayIso() && !paper ? (
              <Button variant="default" leftSection={<IconClipboardText aria-hidden size={18} />} onClick={() => setPaper(true)}>
                {t('groups.paper.open')}
              </Button>
            ) : null}
          </Group>
        </Group>
        <SavedPdfOutcome saving={savingPdf} />
        <SessionActions session={session} />
        {session.movedFrom || session.coverStaff || session.makeupFor ? (
          <Text size="sm" c="dimmed">
            {[
              session.movedFrom ? t('groups.manage.movedFrom', { date: formatDay(session.movedFrom, currentLanguage()) }) : null,
              session.coverStaff ? t('groups.manage.coveredByName', { name: session.coverStaff.name }) : null,
              session.makeupFor ? t('groups.manage.isMakeup') : null,
            ]
              .filter(Boolean)
              .join(' · ')}
          </Text>
        ) : null}
        {session.status === 'cancelled' ? (
          <Alert color="red" variant="light">
            {t('groups.cancelledNote', { reason: session.cancelReason ?? '' })}
          </Alert>
        ) : paper ? (
          <PaperEntry sheet={data} onDone={() => setPaper(false)} />
        ) : (
          <AttendanceBody sheet={data} />
        )}
      </Stack>
      {sheetPrint.sheet ? <SignInSheet sheet={data} /> : null}
    </Paper>
  )
}

function AttendanceBody({ sheet }: { sheet: SessionSheet }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const mark = useMark()
  const markMany = useMarkMany()
  const listRef = useRef<HTMLUListElement>(null)
  const [active, setActive] = useState(0)
  const [confirming, setConfirming] = useState(false)
  const [registering, setRegistering] = useState(false)
  const [followUp, setFollowUp] = useState<AttendanceMark | null>(null)
  const session = sheet.session
  const people = sheet.people
  const error = mark.error ?? (markMany.error && !isApiError(markMany.error, 'CONFLICT') ? markMany.error : null)

  const focusRow = (index: number) => {
    const next = Math.max(0, Math.min(people.length - 1, index))
    setActive(next)
    listRef.current?.querySelectorAll<HTMLElement>('[role="radiogroup"]')[next]?.focus()
  }

  const setMark = (person: AttendanceMark, status: AttendanceStatus | null) => {
    mark.mutate(
      { sessionId: session.id, participantId: person.participantId, status },
      { onSuccess: () => announce(status ? t('groups.marked', { name: person.name, status: t(`groups.mark.${status}`) }) : t('groups.cleared', { name: person.name })) },
    )
  }

  const add = (participantId: number) => mark.mutate({ sessionId: session.id, participantId, status: 'present' })

  const onKey = (event: KeyboardEvent<HTMLElement>, index: number) => {
    const person = people[index]!
    const status = KEYS[event.key.toLowerCase()]
    if (status && !event.ctrlKey && !event.altKey && !event.metaKey) {
      event.preventDefault()
      setMark(person, status)
      focusRow(index + 1)
    } else if (event.key === 'ArrowDown') {
      event.preventDefault()
      focusRow(index + 1)
    } else if (event.key === 'ArrowUp') {
      event.preventDefault()
      focusRow(index - 1)
    } else if (event.key === 'Delete' || event.key === 'Backspace') {
      event.preventDefault()
      setMark(person, null)
    }
  }

  const everyone = (overwrite: boolean) =>
    markMany.mutate(
      { sessionId: session.id, marks: people.map((p) => ({ participantId: p.participantId, status: 'present' as const })), overwrite },
      {
        onSuccess: () => {
          setConfirming(false)
          announce(t('groups.everyoneMarked', { count: people.length }))
        },
        onError: (failure) => {
          if (isApiError(failure, 'CONFLICT')) setConfirming(true)
        },
      },
    )

  // The screen opens with the first person's marks under the keyboard: P, A, E or L right away.
  useEffect(() => {
    listRef.current?.querySelector<HTMLElement>('[role="radiogroup"]')?.focus()
  }, [])

  const conflictCount = people.filter((p) => p.status !== null && p.status !== 'present').length
  const listLabelId = useId()
  return (
    <Stack gap="md">
      {error ? <FormAlert error={error} /> : null}
      <Group justify="space-between">
        <Text id={listLabelId} fw={600}>
          {t('groups.people', { count: people.length })}
        </Text>
        <Group gap="xs">
          <Text size="sm" c="dimmed">
            {t('groups.keysHint')} <Kbd>P</Kbd> <Kbd>A</Kbd> <Kbd>E</Kbd> <Kbd>L</Kbd> · <Kbd>↑</Kbd> <Kbd>↓</Kbd>
          </Text>
          <Button leftSection={<IconUsersGroup aria-hidden size={18} />} variant="light" disabled={people.length === 0} loading={markMany.isPending} onClick={() => everyone(false)}>
            {t('groups.everyonePresent')}
          </Button>
        </Group>
      </Group>
      {people.length === 0 ? (
        <Text c="dimmed">{t('groups.nobodyYet')}</Text>
      ) : (
        <ul ref={listRef} aria-labelledby={listLabelId} style={{ listStyle: 'none', margin: 0, padding: 0 }}>
          {people.map((person, index) => (
            <li key={person.participantId} style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
              <Group justify="space-between" py={6} wrap="nowrap">
                <Group gap="xs" wrap="nowrap">
                  <Text fw={600}>{person.name}</Text>
                  {person.enrolled ? (
                    <Badge variant="outline" color="gray" size="sm">
                      {t('groups.enrolledBadge')}
                    </Badge>
                  ) : null}
                  {person.hereToday ? (
                    <Badge variant="light" color="blue" size="sm">
                      {t('groups.hereBadge')}
                    </Badge>
                  ) : null}
                  {person.followUp ? (
                    <Badge variant="light" color="orange" size="sm" leftSection={<IconFlag aria-hidden size={12} />}>
                      {t('groups.followUpBadge')}
                    </Badge>
                  ) : null}
                </Group>
                <Group gap={6} wrap="nowrap">
                  <div
                    role="radiogroup"
                    aria-label={t('groups.markFor', { name: person.name })}
                    tabIndex={index === active ? 0 : -1}
                    onFocus={() => setActive(index)}
                    onKeyDown={(event) => onKey(event, index)}
                    style={{ display: 'flex', gap: 4, borderRadius: 8, padding: 2 }}
                    className="pl-mark-group"
                  >
                    {STATUSES.map((status) => {
                      const on = person.status === status
                      return (
                        <UnstyledButton
                          key={status}
                          role="radio"
                          aria-checked={on}
                          aria-label={t(`groups.mark.${status}`)}
                          title={t(`groups.mark.${status}`)}
                          tabIndex={-1}
                          onClick={() => {
                            setActive(index)
                            setMark(person, on ? null : status)
                          }}
                          style={{
                            minWidth: 44,
                            minHeight: 40,
                            borderRadius: 6,
                            textAlign: 'center',
                            fontWeight: 700,
                            border: `1px solid var(--mantine-color-${on ? COLORS[status] : 'gray'}-${on ? 7 : 4})`,
                            background: on ? `var(--mantine-color-${COLORS[status]}-7)` : 'var(--mantine-color-white)',
                            color: on ? (status === 'late' ? 'var(--mantine-color-black)' : 'var(--mantine-color-white)') : 'var(--mantine-color-gray-9)',
                          }}
                        >
                          {t(`groups.markKey.${status}`)}
                        </UnstyledButton>
                      )
                    })}
                  </div>
                  <Button variant="subtle" size="compact-sm" color="gray" aria-label={t('groups.followUpFor', { name: person.name })} disabled={!person.status} onClick={() => setFollowUp(person)}>
                    <IconFlag aria-hidden size={16} />
                  </Button>
                </Group>
              </Group>
            </li>
          ))}
        </ul>
      )}

      {sheet.hereToday.length > 0 ? (
        <Stack gap={6}>
          <Text fw={600}>{t('groups.hereToday', { count: sheet.hereToday.length })}</Text>
          <Group gap="xs">
            {sheet.hereToday.map((person) => (
              <Button key={person.participantId} variant="default" leftSection={<IconUserPlus aria-hidden size={16} />} onClick={() => add(person.participantId)} aria-label={t('groups.addHere', { name: person.name })}>
                {person.name}
              </Button>
            ))}
          </Group>
        </Stack>
      ) : null}

      {/* Registered on the spot, in place: the marks above stay in view. */}
      {registering ? (
        <RegisterPersonForm
          typed=""
          onCreated={(person) => {
            setRegistering(false)
            add(person.id)
          }}
          onUseExisting={(person) => {
            setRegistering(false)
            add(person.id)
          }}
          onCancel={() => setRegistering(false)}
        />
      ) : (
        <Group align="flex-start" gap="sm">
          <div style={{ flex: 1, maxWidth: 560 }}>
            <PersonFinder label={t('groups.addWalkIn')} action={t('groups.add')} busy={mark.isPending} onPick={add} />
          </div>
          <Button variant="default" mt={25} leftSection={<IconUserPlus aria-hidden size={18} />} onClick={() => setRegistering(true)}>
            {t('groups.registerNew')}
          </Button>
        </Group>
      )}

      {session.kind === 'open' ? <AnonymousAttendance sheet={sheet} /> : null}

      <SessionRecord sheet={sheet} />

      <Modal opened={confirming} onClose={() => setConfirming(false)} title={t('groups.overwriteTitle')} closeButtonProps={{ 'aria-label': t('common.close') }}>
        <Stack>
          <Text>{t('groups.overwriteBody', { count: conflictCount })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </Button>
            <Button onClick={() => everyone(true)} loading={markMany.isPending} data-autofocus>
              {t('groups.overwriteConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
      <FollowUpDialog person={followUp} sessionId={session.id} onClose={() => setFollowUp(null)} />
      <Text size="xs" c="dimmed">
        {t('groups.sessionOn', { date: formatDay(session.date, language) })}
      </Text>
    </Stack>
  )
}

function FollowUpDialog({ person, sessionId, onClose }: { person: AttendanceMark | null; sessionId: number; onClose: () => void }) {
  const { t } = useTranslation()
  return (
    <Modal opened={person !== null} onClose={onClose} title={t('groups.followUpTitle', { name: person?.name ?? '' })} closeButtonProps={{ 'aria-label': t('common.close') }}>
      {person ? <FollowUpForm person={person} sessionId={sessionId} onClose={onClose} /> : null}
    </Modal>
  )
}

function FollowUpForm({ person, sessionId, onClose }: { person: AttendanceMark; sessionId: number; onClose: () => void }) {
  const { t } = useTranslation()
  const mark = useMark()
  const [text, setText] = useState(person.followUp ?? '')
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault()
        if (!person.status) return
        mark.mutate({ sessionId, participantId: person.participantId, status: person.status, followUp: text }, { onSuccess: onClose })
      }}
    >
      <Stack>
        <Text size="sm" c="dimmed">
          {t('groups.followUpHelp')}
        </Text>
        <Textarea label={t('groups.followUpNote')} value={text} onChange={(event) => setText(event.currentTarget.value)} maxLength={300} autosize minRows={2} data-autofocus />
        {mark.error ? <FormAlert error={mark.error} /> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={mark.isPending}>
            {t('groups.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

/** The facilitator's record of the session: topic, a short note, the anonymous headcount, "did not meet". */
function SessionRecord({ sheet }: { sheet: SessionSheet }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const record = useRecordSession()
  const session = sheet.session
  const [topic, setTopic] = useState(session.topic ?? '')
  const [note, setNote] = useState(session.note ?? '')
  const [count, setCount] = useState<number | string>(session.anonymousCount)
  // The version the fields were filled from. A newer one (saved on another PC) replaces them,
  // unless the facilitator is typing over the old one and has not been refused yet: that save
  // is refused, and then the new version is shown for them to make their change again.
  const shown = useRef(session)
  const refused = isApiError(record.error, 'STALE')
  useEffect(() => {
    const was = shown.current
    const typing = topic !== (was.topic ?? '') || note !== (was.note ?? '') || count !== was.anonymousCount
    if (session.version === was.version || (typing && !refused)) return
    shown.current = session
    setTopic(session.topic ?? '')
    setNote(session.note ?? '')
    setCount(session.anonymousCount)
    // Only a new version (or a refusal) replaces what the fields hold.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [session.version, refused])
  const saved = (after: GroupSession) => {
    shown.current = after
  }
  const anyPresent = sheet.people.some((p) => p.status === 'present' || p.status === 'late') || session.anonymousCount > 0
  return (
    <Paper withBorder radius="md" p="sm" component="section" aria-label={t('groups.recordTitle')}>
      <form
        onSubmit={(event) => {
          event.preventDefault()
          record.mutate(
            { sessionId: session.id, version: shown.current.version, topic, note, ...(session.kind === 'open' ? { anonymousCount: typeof count === 'number' ? count : 0 } : {}) },
            {
              onSuccess: (after) => {
                saved(after)
                announce(t('groups.recordSaved'))
              },
            },
          )
        }}
      >
        <Stack gap="sm">
          <Text fw={600}>{t('groups.recordTitle')}</Text>
          <Group grow align="flex-start">
            <TextInput label={t('groups.topic')} value={topic} onChange={(event) => setTopic(event.currentTarget.value)} maxLength={120} />
            {session.kind === 'open' ? (
              <NumberInput label={t('groups.anonymousCount')} description={t('groups.anonymousHelp')} value={count} onChange={setCount} min={0} max={1000} allowDecimal={false} />
            ) : null}
          </Group>
          <Textarea label={t('groups.note')} description={t('groups.noteHelp')} value={note} onChange={(event) => setNote(event.currentTarget.value)} maxLength={500} autosize minRows={2} />
          {record.error ? <FormAlert error={record.error} /> : null}
          <Group justify="space-between">
            <Text size="sm" c="dimmed">
              {t('groups.headcount', { count: session.headcount })}
              {session.status === 'did_not_meet' ? ` · ${t('groups.status.did_not_meet')}` : ''}
            </Text>
            <Group gap="xs">
              {session.status === 'did_not_meet' ? (
                <Button variant="default" onClick={() => record.mutate({ sessionId: session.id, version: session.version, didNotMeet: false }, { onSuccess: saved })}>
                  {t('groups.didMeet')}
                </Button>
              ) : (
                <Button variant="default" disabled={anyPresent} onClick={() => record.mutate({ sessionId: session.id, version: session.version, didNotMeet: true }, { onSuccess: saved })}>
                  {t('groups.didNotMeet')}
                </Button>
              )}
              <Button type="submit" loading={record.isPending}>
                {t('groups.save')}
              </Button>
            </Group>
          </Group>
          {record.isSuccess ? (
            <Text size="xs" c="dimmed" aria-live="polite">
              {t('groups.recordSavedAt', { date: formatDay(session.date, language) })}
            </Text>
          ) : null}
        </Stack>
      </form>
    </Paper>
  )
}
