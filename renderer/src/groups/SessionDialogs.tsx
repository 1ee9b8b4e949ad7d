import { Button, Group, Modal, NativeSelect, Stack, Text, TextInput } from '@mantine/core'
import { IconArrowBackUp, IconCalendarEvent, IconCalendarPlus, IconCalendarX, IconUserShare } from '@tabler/icons-react'
import { useState, type FormEvent, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { GroupSession, GroupSummary } from '../../../electron/ipc/contract'
import { FormAlert } from '../components/FormAlert'
import { FormFooter } from '../components/FormFooter'
import { useMay } from '../components/ProfileContext'
import { currentLanguage } from '../i18n'
import { announce } from '../lib/announce'
import { formatDay } from './format'
import { useChangeSession, useCreateSession, useGroupStaff } from '../hooks/queries'

type Mode = 'move' | 'cancel' | 'cover'

/**
 * A manager's changes to one session, from its attendance screen: move it to another day, time or
 * room; cancel it with a reason (or restore it); or name who covers it (the cover sees it that day).
 */
export function SessionActions({ session }: { session: GroupSession }) {
  const { t } = useTranslation()
  const may = useMay('sessions.change')
  const change = useChangeSession()
  const [mode, setMode] = useState<Mode | null>(null)
  if (!may) return null
  const cancelled = session.status === 'cancelled'
  return (
    <>
      <Group gap="xs">
        {cancelled ? (
          session.closureId === null ? (
            <Button
              variant="default"
              leftSection={<IconArrowBackUp aria-hidden size={18} />}
              loading={change.isPending}
              onClick={() => change.mutate({ sessionId: session.id, version: session.version, change: { kind: 'restore' } }, { onSuccess: () => announce(t('groups.manage.restored')) })}
            >
              {t('groups.manage.restore')}
            </Button>
          ) : null
        ) : (
          <>
            <Button variant="default" leftSection={<IconCalendarEvent aria-hidden size={18} />} onClick={() => setMode('move')}>
              {t('groups.manage.move')}
            </Button>
            <Button variant="default" leftSection={<IconUserShare aria-hidden size={18} />} onClick={() => setMode('cover')}>
              {t('groups.manage.cover')}
            </Button>
            <Button variant="default" color="red" leftSection={<IconCalendarX aria-hidden size={18} />} onClick={() => setMode('cancel')}>
              {t('groups.manage.cancel')}
            </Button>
          </>
        )}
      </Group>
      {change.error && mode === null ? <FormAlert error={change.error} /> : null}
      {/* Wide enough for "Mantener la sesión" beside "Cancelar la sesión" on one row. */}
      <Modal opened={mode !== null} onClose={() => setMode(null)} title={mode ? t(`groups.manage.${mode}Title`, { group: session.groupName }) : ''} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
        {mode === 'move' ? <MoveForm session={session} onDone={() => setMode(null)} /> : null}
        {mode === 'cancel' ? <CancelForm session={session} onDone={() => setMode(null)} /> : null}
        {mode === 'cover' ? <CoverForm session={session} onDone={() => setMode(null)} /> : null}
      </Modal>
    </>
  )
}

function DialogForm({ onSubmit, onCancel, busy, error, submit, cancelLabel, children }: { onSubmit: () => void; onCancel: () => void; busy: boolean; error: unknown; submit: string; cancelLabel?: string; children: ReactNode }) {
  return (
    <form
      onSubmit={(event: FormEvent) => {
        event.preventDefault()
        onSubmit()
      }}
    >
      <Stack>
        {children}
        <FormFooter error={error} onCancel={onCancel} submitLabel={submit} pending={busy} cancelLabel={cancelLabel} />
      </Stack>
    </form>
  )
}

function MoveForm({ session, onDone }: { session: GroupSession; onDone: () => void }) {
  const { t } = useTranslation()
  const change = useChangeSession()
  const [date, setDate] = useState(session.date)
  const [time, setTime] = useState(session.startTime)
  const [room, setRoom] = useState(session.room ?? '')
  return (
    <DialogForm
      submit={t('groups.manage.moveSubmit')}
      busy={change.isPending}
      error={change.error}
      onCancel={onDone}
      onSubmit={() =>
        change.mutate({ sessionId: session.id, version: session.version, change: { kind: 'move', date, startTime: time, room: room.trim() || null } }, { onSuccess: (moved) => {
            announce(t('groups.manage.moved', { date: formatDay(moved.date, currentLanguage()) }))
            onDone()
          } })
      }
    >
      <Text size="sm" c="dimmed">
        {t('groups.manage.moveHelp')}
      </Text>
      <TextInput type="date" label={t('groups.manage.newDay')} required value={date} onChange={(e) => setDate(e.currentTarget.value)} data-autofocus />
      <TextInput type="time" label={t('groups.startTime')} required value={time} onChange={(e) => setTime(e.currentTarget.value)} />
      <TextInput label={t('groups.room')} value={room} onChange={(e) => setRoom(e.currentTarget.value)} maxLength={60} />
    </DialogForm>
  )
}

function CancelForm({ session, onDone }: { session: GroupSession; onDone: () => void }) {
  const { t } = useTranslation()
  const change = useChangeSession()
  const [reason, setReason] = useState('')
  return (
    <DialogForm
      submit={t('groups.manage.cancelSubmit')}
      cancelLabel={t('groups.manage.keepSession')}
      busy={change.isPending}
      error={change.error}
      onCancel={onDone}
      onSubmit={() => change.mutate({ sessionId: session.id, version: session.version, change: { kind: 'cancel', reason } }, { onSuccess: () => {
            announce(t('groups.manage.cancelled'))
            onDone()
          } })}
    >
      <Text size="sm">{t('groups.manage.cancelHelp', { date: formatDay(session.date, currentLanguage(), true), time: session.startTime })}</Text>
      <TextInput label={t('groups.manage.reason')} description={t('groups.manage.reasonHelp')} required value={reason} onChange={(e) => setReason(e.currentTarget.value)} maxLength={300} data-autofocus />
    </DialogForm>
  )
}

function CoverForm({ session, onDone }: { session: GroupSession; onDone: () => void }) {
  const { t } = useTranslation()
  const change = useChangeSession()
  const staff = useGroupStaff()
  const [staffId, setStaffId] = useState(session.coverStaff ? String(session.coverStaff.id) : '')
  return (
    <DialogForm
      submit={t('groups.save')}
      busy={change.isPending}
      error={change.error ?? staff.error}
      onCancel={onDone}
      onSubmit={() => change.mutate({ sessionId: session.id, version: session.version, change: { kind: 'cover', staffId: staffId ? Number(staffId) : null } }, { onSuccess: () => {
            announce(t('groups.manage.coverSaved'))
            onDone()
          } })}
    >
      <Text size="sm" c="dimmed">
        {t('groups.manage.coverHelp', { names: session.facilitators.map((f) => f.name).join(', ') })}
      </Text>
      <NativeSelect
        label={t('groups.manage.coveredBy')}
        value={staffId}
        onChange={(e) => setStaffId(e.currentTarget.value)}
        data={[{ value: '', label: t('groups.manage.noCover') }, ...(staff.data ?? []).map((s) => ({ value: String(s.id), label: s.name }))]}
        data-autofocus
      />
    </DialogForm>
  )
}

/** A session a make-up may stand in for: one that did not happen. */
export interface MakeupCandidate {
  id: number
  date: string
  status: 'cancelled' | 'did_not_meet'
}

/**
 * An extra session outside the schedule, or a make-up for a session that was cancelled or did not
 * meet: the make-up counts toward the series in its place.
 */
export function NewSessionButton({ group, candidates }: { group: GroupSummary; candidates: MakeupCandidate[] }) {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  return (
    <>
      <Button variant="default" leftSection={<IconCalendarPlus aria-hidden size={18} />} onClick={() => setOpen(true)}>
        {t('groups.manage.newSession')}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('groups.manage.newSessionTitle', { group: group.name })} closeButtonProps={{ 'aria-label': t('common.close') }}>
        {open ? <NewSessionForm group={group} candidates={candidates} onDone={() => setOpen(false)} /> : null}
      </Modal>
    </>
  )
}

function NewSessionForm({ group, candidates, onDone }: { group: GroupSummary; candidates: MakeupCandidate[]; onDone: () => void }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const create = useCreateSession()
  const [date, setDate] = useState('')
  const [time, setTime] = useState(group.pattern?.startTime ?? '')
  const [room, setRoom] = useState(group.room ?? '')
  const [topic, setTopic] = useState('')
  const [makeupFor, setMakeupFor] = useState('')
  return (
    <DialogForm
      submit={t('groups.manage.createSession')}
      busy={create.isPending}
      error={create.error}
      onCancel={onDone}
      onSubmit={() =>
        create.mutate(
          { groupId: group.id, date, startTime: time, room: room.trim() || null, topic: topic.trim() || null, makeupFor: makeupFor ? Number(makeupFor) : null },
          { onSuccess: (made) => {
            announce(t('groups.manage.created', { date: formatDay(made.date, language) }))
            onDone()
          } },
        )
      }
    >
      <TextInput type="date" label={t('groups.manage.day')} required value={date} onChange={(e) => setDate(e.currentTarget.value)} data-autofocus />
      <TextInput type="time" label={t('groups.startTime')} required value={time} onChange={(e) => setTime(e.currentTarget.value)} />
      <TextInput label={t('groups.room')} value={room} onChange={(e) => setRoom(e.currentTarget.value)} maxLength={60} />
      <TextInput label={t('groups.topic')} value={topic} onChange={(e) => setTopic(e.currentTarget.value)} maxLength={120} />
      <NativeSelect
        label={t('groups.manage.makeupFor')}
        description={t('groups.manage.makeupHelp')}
        value={makeupFor}
        onChange={(e) => setMakeupFor(e.currentTarget.value)}
        data={[
          { value: '', label: t('groups.manage.notMakeup') },
          ...candidates.map((c) => ({ value: String(c.id), label: `${formatDay(c.date, language, true)} · ${t(`groups.status.${c.status}`)}` })),
        ]}
      />
    </DialogForm>
  )
}
