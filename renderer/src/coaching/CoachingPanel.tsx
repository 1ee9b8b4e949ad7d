import { Badge, Button, Checkbox, Group, Modal, NumberInput, Paper, Select, Stack, Table, Text, Textarea, TextInput, Title, VisuallyHidden } from '@mantine/core'
import { useForm } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { IconCalendarPlus, IconMessagePlus, IconPlus, IconUserHeart } from '@tabler/icons-react'
import { useId, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { CONTACT_KINDS, LIFE_AREAS, MEETING_KINDS, PATHWAYS, RECOVERY_STAGES } from './lists'
import type { CoachingRecord, Contact, Engagement, Meeting, PlanGoal } from '../../../electron/ipc/contract'
import { AssessmentForm } from '../assessments/RecoveryCapital'
import { FormAlert } from '../components/FormAlert'
import { FormFooter } from '../components/FormFooter'
import { useCurrentStaff } from '../components/ProfileContext'
import { currentLanguage } from '../i18n'
import { todayIso } from '../lib/fields'
import { formatDay } from '../referrals/labels'
import { EngagementActions, EngagementDialogs, EngagementHistory, MeetingOutcomeDialog, type EngagementDialog } from './EngagementDialogs'
import { PrintPlanButton } from './PrintPlan'
import { useCoaches, useCoachOf, useCoachingRecord, useCoachingSettings, useCoachingWrite, useLogContact } from '../hooks/queries'

type Dialog = 'start' | 'schedule' | 'contact' | 'goal' | { step: PlanGoal } | { barc: Contact } | null

/**
 * The coaching section of a person's profile: the engagement with their coach, meetings ahead,
 * contacts logged and the recovery plan the person owns, with the latest recovery-capital total.
 */
export function CoachingPanel({ participantId }: { participantId: number }) {
  const { t } = useTranslation()
  const record = useCoachingRecord(participantId)
  const [dialog, setDialog] = useState<Dialog>(null)
  const [change, setChange] = useState<EngagementDialog | null>(null)
  const [outcome, setOutcome] = useState<Meeting | null>(null)
  const close = () => setDialog(null)
  const data = record.data
  const current = data?.current ?? null
  return (
    <Stack gap="md">
      <FormAlert error={record.error} />
      {data ? (
        <>
          {current ? (
            <EngagementCard engagement={current} onSchedule={() => setDialog('schedule')} onContact={() => setDialog('contact')} onChange={setChange} />
          ) : (
            <Group justify="space-between">
              <Text c="dimmed">{t('coaching.noCoach')}</Text>
              <Group>
                <Button variant="default" leftSection={<IconMessagePlus aria-hidden size={16} />} onClick={() => setDialog('contact')}>
                  {t('coaching.logContact')}
                </Button>
                <Button leftSection={<IconUserHeart aria-hidden size={16} />} onClick={() => setDialog('start')}>
                  {t('coaching.start')}
                </Button>
              </Group>
            </Group>
          )}
          <Meetings record={data} onOutcome={setOutcome} />
          <Contacts record={data} onBarc={(contact) => setDialog({ barc: contact })} />
          <Plan record={data} onAddGoal={() => setDialog('goal')} onAddStep={(goal) => setDialog({ step: goal })} />
          <EngagementHistory engagements={current ? [current, ...data.past] : data.past} />
          {current ? <EngagementDialogs engagement={current} open={change} onClose={() => setChange(null)} /> : null}
          <MeetingOutcomeDialog meeting={outcome} onClose={() => setOutcome(null)} />
        </>
      ) : null}
      <Modal opened={dialog === 'start'} onClose={close} title={t('coaching.startTitle')} closeButtonProps={{ 'aria-label': t('common.close') }}>
        {dialog === 'start' ? <StartForm participantId={participantId} onClose={close} /> : null}
      </Modal>
      <Modal opened={dialog === 'schedule'} onClose={close} title={t('coaching.scheduleTitle')} closeButtonProps={{ 'aria-label': t('common.close') }}>
        {dialog === 'schedule' && current ? <ScheduleForm engagement={current} onClose={close} /> : null}
      </Modal>
      <Modal opened={dialog === 'contact'} onClose={close} title={t('coaching.contactTitle')} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
        {dialog === 'contact' && data ? <ContactForm participantId={data.participantId} meetings={data.meetings} onClose={close} /> : null}
      </Modal>
      <Modal opened={dialog === 'goal'} onClose={close} title={t('coaching.goalTitle')} closeButtonProps={{ 'aria-label': t('common.close') }}>
        {dialog === 'goal' ? <GoalForm participantId={participantId} onClose={close} /> : null}
      </Modal>
      <Modal
        opened={typeof dialog === 'object' && dialog !== null && 'step' in dialog}
        onClose={close}
        title={typeof dialog === 'object' && dialog !== null && 'step' in dialog ? t('coaching.stepTitle', { goal: dialog.step.title }) : ''}
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        {typeof dialog === 'object' && dialog !== null && 'step' in dialog ? <StepForm goal={dialog.step} onClose={close} /> : null}
      </Modal>
      <Modal
        opened={typeof dialog === 'object' && dialog !== null && 'barc' in dialog}
        onClose={close}
        title={typeof dialog === 'object' && dialog !== null && 'barc' in dialog ? t('coaching.barcAt.title', { date: formatDay(dialog.barc.contactOn, currentLanguage()) }) : ''}
        size="xl"
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        {typeof dialog === 'object' && dialog !== null && 'barc' in dialog ? <AssessmentForm participantId={participantId} contact={{ id: dialog.barc.id, on: dialog.barc.contactOn }} onClose={close} /> : null}
      </Modal>
    </Stack>
  )
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={500}>
        {children}
      </Text>
    </div>
  )
}

function EngagementCard({
  engagement,
  onSchedule,
  onContact,
  onChange,
}: {
  engagement: Engagement
  onSchedule: () => void
  onContact: () => void
  onChange: (dialog: EngagementDialog) => void
}) {
  const { t } = useTranslation()
  const language = currentLanguage()
  return (
    <Paper withBorder p="md" radius="md" data-testid="engagement-card">
      <Group justify="space-between" align="flex-start">
        <Group gap="xl" align="flex-start">
          <Fact label={t('coaching.coach')}>{engagement.coach.name}</Fact>
          {engagement.backup ? <Fact label={t('coaching.backup')}>{engagement.backup.name}</Fact> : null}
          <Fact label={t('coaching.period')}>{t('coaching.periodValue', { from: formatDay(engagement.startedOn, language), to: formatDay(engagement.endsOn, language) })}</Fact>
          <Fact label={t('coaching.stage')}>{t(`coaching.stages.${engagement.stage}`)}</Fact>
          <Fact label={t('coaching.pathways')}>{engagement.pathways.map((p) => t(`coaching.pathwayNames.${p}`)).join(', ') || '—'}</Fact>
          <Fact label={t('coaching.status')}>
            {engagement.statusReason ? t('coaching.manage.statusWithReason', { status: t(`coaching.statuses.${engagement.status}`), reason: engagement.statusReason }) : t(`coaching.statuses.${engagement.status}`)}
          </Fact>
        </Group>
        <Group>
          <Button variant="default" leftSection={<IconCalendarPlus aria-hidden size={16} />} onClick={onSchedule}>
            {t('coaching.schedule')}
          </Button>
          <Button leftSection={<IconMessagePlus aria-hidden size={16} />} onClick={onContact}>
            {t('coaching.logContact')}
          </Button>
        </Group>
      </Group>
      <Group mt="sm">
        <EngagementActions onOpen={onChange} />
      </Group>
    </Paper>
  )
}

function Meetings({ record, onOutcome }: { record: CoachingRecord; onOutcome: (meeting: Meeting) => void }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const headingId = useId()
  if (record.meetings.length === 0) return null
  return (
    <Stack gap={4}>
      <Title order={3} size="h5" id={headingId}>
        {t('coaching.meetings')}
      </Title>
      <Table striped aria-labelledby={headingId} data-testid="meeting-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('coaching.date')}</Table.Th>
            <Table.Th scope="col">{t('coaching.time')}</Table.Th>
            <Table.Th scope="col">{t('coaching.kind')}</Table.Th>
            <Table.Th scope="col">{t('coaching.status')}</Table.Th>
            <Table.Th scope="col">
              <VisuallyHidden>{t('coaching.manage.actions')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {record.meetings.map((m) => (
            <Table.Tr key={m.id}>
              <Table.Td>{formatDay(m.date, language)}</Table.Td>
              <Table.Td>{m.time}</Table.Td>
              <Table.Td>{t(`coaching.kinds.${m.kind}`)}</Table.Td>
              <Table.Td>{m.reason ? t('coaching.manage.statusWithReason', { status: t(`coaching.meetingStatuses.${m.status}`), reason: m.reason }) : t(`coaching.meetingStatuses.${m.status}`)}</Table.Td>
              <Table.Td>
                {m.status === 'scheduled' ? (
                  <Button size="compact-xs" variant="subtle" onClick={() => onOutcome(m)} aria-label={t('coaching.manage.didNotHappenOn', { date: formatDay(m.date, language), time: m.time })}>
                    {t('coaching.manage.didNotHappen')}
                  </Button>
                ) : null}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  )
}

function Contacts({ record, onBarc }: { record: CoachingRecord; onBarc: (contact: Contact) => void }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const headingId = useId()
  return (
    <Stack gap={4}>
      <Title order={3} size="h5" id={headingId}>
        {t('coaching.contacts')}
      </Title>
      {record.contacts.length === 0 ? (
        <Text c="dimmed">{t('coaching.noContacts')}</Text>
      ) : (
        <Table striped aria-labelledby={headingId} data-testid="contact-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('coaching.date')}</Table.Th>
              <Table.Th scope="col">{t('coaching.kind')}</Table.Th>
              <Table.Th scope="col">{t('coaching.minutes')}</Table.Th>
              <Table.Th scope="col">{t('coaching.topics')}</Table.Th>
              <Table.Th scope="col">{t('coaching.note')}</Table.Th>
              <Table.Th scope="col">{t('coaching.nextSteps')}</Table.Th>
              <Table.Th scope="col">{t('coaching.by')}</Table.Th>
              <Table.Th scope="col">{t('coaching.barcAt.column')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {record.contacts.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>{formatDay(c.contactOn, language)}</Table.Td>
                <Table.Td>{t(`coaching.kinds.${c.kind}`)}</Table.Td>
                <Table.Td>{c.minutes}</Table.Td>
                <Table.Td>{c.topics.join(', ')}</Table.Td>
                <Table.Td>{c.note}</Table.Td>
                <Table.Td>{c.nextSteps}</Table.Td>
                <Table.Td>{c.staffName}</Table.Td>
                <Table.Td>
                  {c.barc ? (
                    c.barc.total
                  ) : c.kind === 'warmline' ? null : (
                    <Button size="compact-xs" variant="subtle" onClick={() => onBarc(c)} aria-label={t('coaching.barcAt.takeOn', { date: formatDay(c.contactOn, language) })}>
                      {t('coaching.barcAt.take')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  )
}

function Plan({ record, onAddGoal, onAddStep }: { record: CoachingRecord; onAddGoal: () => void; onAddStep: (goal: PlanGoal) => void }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const saveStep = useCoachingWrite('coaching.saveStep')
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={3} size="h5">
          {t('coaching.plan')}
        </Title>
        <Group>
          {record.barc ? (
            <Badge variant="light" tt="none" size="lg" data-testid="plan-barc">
              {t('coaching.barc', { total: record.barc.total, change: record.barc.change === null ? '—' : `${record.barc.change > 0 ? '+' : ''}${record.barc.change}` })}
            </Badge>
          ) : null}
          <PrintPlanButton participantId={record.participantId} />
          <Button variant="default" leftSection={<IconPlus aria-hidden size={16} />} onClick={onAddGoal}>
            {t('coaching.addGoal')}
          </Button>
        </Group>
      </Group>
      {record.goals.length === 0 ? <Text c="dimmed">{t('coaching.noGoals')}</Text> : null}
      <FormAlert error={saveStep.error} />
      {record.goals.map((goal) => (
        <Paper key={goal.id} withBorder p="sm" radius="md" data-testid="plan-goal">
          <Group justify="space-between">
            <div>
              <Text size="xs" c="dimmed">
                {t(`coaching.areas.${goal.area}`)} · {t(`coaching.progress.${goal.progress}`)}
              </Text>
              <Text fw={600}>{goal.title}</Text>
            </div>
            <Button size="xs" variant="subtle" onClick={() => onAddStep(goal)} aria-label={t('coaching.addStepTo', { goal: goal.title })}>
              {t('coaching.addStep')}
            </Button>
          </Group>
          <Stack gap={4} mt={6}>
            {goal.steps.map((step) => (
              <Checkbox
                key={step.id}
                // Shows the tick at once, while main saves it; main's answer (or its refusal) then stands.
                checked={saveStep.isPending && saveStep.variables.id === step.id ? saveStep.variables.progress === 'done' : step.progress === 'done'}
                disabled={saveStep.isPending}
                onChange={(event) =>
                  saveStep.mutate({ id: step.id, goalId: goal.id, text: step.text, targetOn: step.targetOn, progress: event.currentTarget.checked ? 'done' : 'in_progress' })
                }
                label={step.targetOn ? t('coaching.stepBy', { text: step.text, date: formatDay(step.targetOn, language) }) : step.text}
              />
            ))}
          </Stack>
        </Paper>
      ))}
    </Stack>
  )
}

function StartForm({ participantId, onClose }: { participantId: number; onClose: () => void }) {
  const { t } = useTranslation()
  const staff = useCurrentStaff()
  const coaches = useCoaches()
  const start = useCoachingWrite('coaching.start')
  const today = todayIso()
  const mine = coaches.data?.some((c) => c.id === staff?.id) ? String(staff?.id) : ''
  const form = useForm({
    initialValues: { coachId: mine, stage: '', pathways: [] as string[], startedOn: today },
    validate: { stage: (v) => (v ? null : t('coaching.chooseStage')) },
  })
  // The signed-in coach is offered first; the list arrives after the form is made.
  const coachValue = form.values.coachId || mine
  return (
    <form
      noValidate
      onSubmit={form.onSubmit((values) => {
        if (!coachValue) {
          form.setFieldError('coachId', t('coaching.chooseCoach'))
          return
        }
        start.mutate(
          { participantId, coachId: Number(coachValue), stage: values.stage as (typeof RECOVERY_STAGES)[number], pathways: values.pathways as Array<(typeof PATHWAYS)[number]>, startedOn: values.startedOn },
          {
            onSuccess: () => {
              notifications.show({ message: t('coaching.started'), color: 'teal' })
              onClose()
            },
          },
        )
      })}
    >
      <Stack gap="sm">
        <Select label={t('coaching.coach')} required data={(coaches.data ?? []).map((c) => ({ value: String(c.id), label: c.name }))} {...form.getInputProps('coachId')} value={coachValue} />
        <Select label={t('coaching.stage')} required data={RECOVERY_STAGES.map((s) => ({ value: s, label: t(`coaching.stages.${s}`) }))} {...form.getInputProps('stage')} />
        <Checkbox.Group label={t('coaching.pathways')} {...form.getInputProps('pathways')}>
          <Group mt={6}>
            {PATHWAYS.map((p) => (
              <Checkbox key={p} value={p} label={t(`coaching.pathwayNames.${p}`)} />
            ))}
          </Group>
        </Checkbox.Group>
        <TextInput type="date" label={t('coaching.startedOn')} required max={today} {...form.getInputProps('startedOn')} />
        <FormFooter error={start.error} onCancel={onClose} submitLabel={t('coaching.start')} pending={start.isPending} />
      </Stack>
    </form>
  )
}

const REPEATS = ['once', '1', '2'] as const

function ScheduleForm({ engagement, onClose }: { engagement: Engagement; onClose: () => void }) {
  const { t } = useTranslation()
  const schedule = useCoachingWrite('coaching.schedule')
  const today = todayIso()
  const form = useForm({ initialValues: { date: today < engagement.startedOn ? engagement.startedOn : today, time: '10:00', kind: 'in_person', repeat: 'once', until: engagement.endsOn } })
  return (
    <form
      noValidate
      onSubmit={form.onSubmit((v) =>
        schedule.mutate(
          {
            engagementId: engagement.id,
            date: v.date,
            time: v.time,
            kind: v.kind as (typeof MEETING_KINDS)[number],
            repeat: v.repeat === 'once' ? null : { intervalWeeks: Number(v.repeat), until: v.until },
          },
          {
            onSuccess: (made) => {
              notifications.show({ message: t('coaching.scheduled', { count: made.length }), color: 'teal' })
              onClose()
            },
          },
        ),
      )}
    >
      <Stack gap="sm">
        <Group grow>
          <TextInput type="date" label={t('coaching.firstDate')} required {...form.getInputProps('date')} />
          <TextInput type="time" label={t('coaching.time')} required {...form.getInputProps('time')} />
        </Group>
        <Select label={t('coaching.kind')} required allowDeselect={false} data={MEETING_KINDS.map((k) => ({ value: k, label: t(`coaching.kinds.${k}`) }))} {...form.getInputProps('kind')} />
        <Select label={t('coaching.repeat')} required allowDeselect={false} data={REPEATS.map((r) => ({ value: r, label: t(`coaching.repeats.${r}`) }))} {...form.getInputProps('repeat')} />
        {form.values.repeat === 'once' ? null : <TextInput type="date" label={t('coaching.until')} required max={engagement.endsOn} {...form.getInputProps('until')} />}
        <FormFooter error={schedule.error} onCancel={onClose} submitLabel={t('coaching.scheduleSave')} pending={schedule.isPending} />
      </Stack>
    </form>
  )
}

/** A contact with the person; with no person, an anonymous warmline call, with how to know the caller again. */
export function ContactForm({ participantId, meetings, onClose }: { participantId: number | null; meetings: Meeting[]; onClose: () => void }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const settings = useCoachingSettings()
  const log = useLogContact()
  const today = todayIso()
  const anonymous = participantId === null
  const open = meetings.filter((m) => m.status === 'scheduled' && m.date <= today)
  const form = useForm({
    initialValues: { contactOn: today, minutes: (anonymous ? 15 : 30) as number | string, kind: anonymous ? 'warmline' : 'phone', meetingId: '', callerLabel: '', topics: [] as string[], note: '', nextSteps: '' },
  })
  return (
    <form
      noValidate
      onSubmit={form.onSubmit((v) =>
        log.mutate(
          {
            participantId,
            meetingId: v.meetingId ? Number(v.meetingId) : null,
            ...(anonymous ? { callerLabel: v.callerLabel } : {}),
            contactOn: v.contactOn,
            minutes: Number(v.minutes),
            kind: v.kind as (typeof CONTACT_KINDS)[number],
            topics: v.topics,
            note: v.note,
            nextSteps: v.nextSteps,
          },
          {
            onSuccess: () => {
              notifications.show({ message: t('coaching.contactSaved'), color: 'teal' })
              onClose()
            },
          },
        ),
      )}
    >
      <Stack gap="sm">
        <Group grow>
          <TextInput type="date" label={t('coaching.date')} required max={today} {...form.getInputProps('contactOn')} />
          <NumberInput label={t('coaching.minutes')} required min={1} max={1440} {...form.getInputProps('minutes')} />
        </Group>
        {anonymous ? (
          <TextInput label={t('coaching.warm.caller')} description={t('coaching.warm.callerHint')} maxLength={80} {...form.getInputProps('callerLabel')} data-autofocus />
        ) : (
          <Select label={t('coaching.kind')} required allowDeselect={false} data={CONTACT_KINDS.map((k) => ({ value: k, label: t(`coaching.kinds.${k}`) }))} {...form.getInputProps('kind')} />
        )}
        {open.length > 0 ? (
          <Select
            label={t('coaching.forMeeting')}
            clearable
            data={open.map((m) => ({ value: String(m.id), label: `${formatDay(m.date, language)} ${m.time}` }))}
            {...form.getInputProps('meetingId')}
          />
        ) : null}
        <Checkbox.Group label={t('coaching.topics')} {...form.getInputProps('topics')}>
          <Group mt={6} gap="sm">
            {(settings.data?.topics ?? []).map((topic) => (
              <Checkbox key={topic} value={topic} label={topic} />
            ))}
          </Group>
        </Checkbox.Group>
        <Textarea label={t('coaching.note')} description={t('coaching.noteHint')} autosize minRows={2} maxLength={1000} {...form.getInputProps('note')} />
        <TextInput label={t('coaching.nextSteps')} maxLength={500} {...form.getInputProps('nextSteps')} />
        <FormFooter error={log.error} onCancel={onClose} submitLabel={t('coaching.contactSave')} pending={log.isPending} />
      </Stack>
    </form>
  )
}

function GoalForm({ participantId, onClose }: { participantId: number; onClose: () => void }) {
  const { t } = useTranslation()
  const save = useCoachingWrite('coaching.saveGoal')
  const form = useForm({
    initialValues: { area: '', title: '' },
    validate: { area: (v) => (v ? null : t('coaching.chooseArea')), title: (v) => (v.trim() ? null : t('coaching.titleRequired')) },
  })
  return (
    <form
      noValidate
      onSubmit={form.onSubmit((v) => save.mutate({ participantId, area: v.area as (typeof LIFE_AREAS)[number], title: v.title }, { onSuccess: onClose }))}
    >
      <Stack gap="sm">
        <Select label={t('coaching.area')} required data={LIFE_AREAS.map((a) => ({ value: a, label: t(`coaching.areas.${a}`) }))} {...form.getInputProps('area')} />
        <TextInput label={t('coaching.goal')} description={t('coaching.goalHint')} required maxLength={200} {...form.getInputProps('title')} />
        <FormFooter error={save.error} onCancel={onClose} submitLabel={t('coaching.goalSave')} pending={save.isPending} />
      </Stack>
    </form>
  )
}

function StepForm({ goal, onClose }: { goal: PlanGoal; onClose: () => void }) {
  const { t } = useTranslation()
  const save = useCoachingWrite('coaching.saveStep')
  const form = useForm({ initialValues: { text: '', targetOn: '' }, validate: { text: (v) => (v.trim() ? null : t('coaching.stepRequired')) } })
  return (
    <form noValidate onSubmit={form.onSubmit((v) => save.mutate({ goalId: goal.id, text: v.text, targetOn: v.targetOn || null }, { onSuccess: onClose }))}>
      <Stack gap="sm">
        <TextInput label={t('coaching.step')} required maxLength={300} {...form.getInputProps('text')} />
        <TextInput type="date" label={t('coaching.targetOn')} min={goal.setOn} {...form.getInputProps('targetOn')} />
        <FormFooter error={save.error} onCancel={onClose} submitLabel={t('coaching.stepSave')} pending={save.isPending} />
      </Stack>
    </form>
  )
}

/** The front desk's line on a profile: the person's coach, so the desk can call them over; nothing more. */
export function CoachName({ participantId }: { participantId: number }) {
  const { t } = useTranslation()
  const coach = useCoachOf(participantId, true)
  if (!coach.data?.coach) return null
  return (
    <Text size="sm" data-testid="profile-coach">
      {t('coaching.coachIs', { name: coach.data.coach.name })}
    </Text>
  )
}
