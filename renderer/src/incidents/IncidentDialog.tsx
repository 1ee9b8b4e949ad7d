import { Badge, Button, Checkbox, CloseButton, Divider, Group, List, Loader, Modal, NativeSelect, NumberInput, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconPrinter } from '@tabler/icons-react'
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { INCIDENT_KINDS, MAX_NALOXONE_DOSES, OVERDOSE_OUTCOMES, type IncidentKind, type OverdoseOutcome } from '../../../db/domain'
import type { Incident, IncidentPersonInput } from '../../../electron/ipc/contract'
import { FormAlert } from '../components/FormAlert'
import { useCurrentStaff } from '../components/ProfileContext'
import { currentLanguage } from '../i18n'
import { fieldErrors } from '../lib/errors'
import { formatDate, formatTime } from '../lib/format'
import { usePrintSheet } from '../print/usePrintSheet'
import { PersonPicker } from '../referrals/PersonPicker'
import { fromLocalField, toLocalField } from './fields'
import { useCloseIncident, useIncident, useStaffDirectory, useUpdateIncident } from '../hooks/queries'
import { IncidentSheet } from './IncidentSheet'

interface Props {
  id: number | null
  centerName: string
  onClose: () => void
}

/** One report: filled in while open, by its author or a manager; reviewed and closed by a manager; printed when critical. */
export function IncidentDialog({ id, centerName, onClose }: Props) {
  const { t } = useTranslation()
  const incident = useIncident(id)
  const sheet = usePrintSheet<Incident>()
  return (
    <Modal opened={id !== null} onClose={onClose} title={t('incidents.detailTitle')} size="xl" closeButtonProps={{ 'aria-label': t('common.close') }}>
      {sheet.sheet ? <IncidentSheet incident={sheet.sheet} centerName={centerName} /> : null}
      <FormAlert error={incident.error} />
      {incident.isPending && id !== null ? <Loader size="sm" aria-label={t('incidents.detailTitle')} /> : null}
      {incident.data ? (
        <Stack gap="md">
          <Group gap="xs">
            {incident.data.critical ? (
              <Badge color="red.9" variant="outline" tt="none">
                {t('incidents.criticalBadge')}
              </Badge>
            ) : null}
            <Badge color={incident.data.closed ? 'gray.7' : 'blue.9'} variant="outline" tt="none" data-testid="incident-status">
              {incident.data.closed ? t('incidents.closed') : t('incidents.open')}
            </Badge>
            {incident.data.critical ? (
              <Button size="xs" variant="default" leftSection={<IconPrinter aria-hidden size={16} />} onClick={() => sheet.print(incident.data)}>
                {t('incidents.print')}
              </Button>
            ) : null}
          </Group>
          {/* Keyed by the last change: after a save the form starts again from what main kept. */}
          <DetailsForm key={`${incident.data.id}-${incident.data.history.length}`} incident={incident.data} />
          <Review incident={incident.data} />
          <History incident={incident.data} />
        </Stack>
      ) : null}
    </Modal>
  )
}

const FIELDS = ['kind', 'occurredAt', 'summary', 'location', 'naloxoneDoses', 'outcome', 'narrative', 'actionsTaken', 'followUp', 'people'] as const

function personLabel(t: (key: never) => string, person: Incident['people'][number]): string {
  if (person.participantId !== null) return `${person.name ?? ''} · ${person.code ?? ''}`
  if (person.staffId !== null) return `${person.name ?? ''} (${t('incidents.staffTag' as never)})`
  return person.description ?? t('incidents.anonymous' as never)
}

function DetailsForm({ incident }: { incident: Incident }) {
  const { t } = useTranslation()
  const me = useCurrentStaff()
  const update = useUpdateIncident()
  const readOnly = incident.closed
  const [kind, setKind] = useState<IncidentKind>(incident.kind)
  const [when, setWhen] = useState(() => toLocalField(new Date(incident.occurredAt)))
  const [summary, setSummary] = useState(incident.summary)
  const [location, setLocation] = useState(incident.location ?? '')
  const [doses, setDoses] = useState<number | ''>(incident.naloxoneDoses ?? '')
  const [ems, setEms] = useState(incident.emsCalled === true)
  const [outcome, setOutcome] = useState<OverdoseOutcome | ''>(incident.outcome ?? '')
  const [narrative, setNarrative] = useState(incident.narrative ?? '')
  const [actions, setActions] = useState(incident.actionsTaken ?? '')
  const [followUp, setFollowUp] = useState(incident.followUp ?? '')
  const [critical, setCritical] = useState(incident.critical)
  const [people, setPeople] = useState(incident.people)
  const [picked, setPicked] = useState<number | null>(null)
  const [anonymous, setAnonymous] = useState('')
  const errors = fieldErrors(update.error, FIELDS)
  const overdose = kind === 'overdose'

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const named: IncidentPersonInput[] = people.map((p) => ({ participantId: p.participantId, staffId: p.staffId, description: p.description }))
    if (picked !== null) named.push({ participantId: picked })
    update.mutate(
      {
        id: incident.id,
        kind,
        occurredAt: fromLocalField(when) ?? undefined,
        summary,
        location,
        critical,
        naloxoneDoses: overdose ? (doses === '' ? null : doses) : null,
        emsCalled: overdose ? ems : incident.emsCalled,
        outcome: overdose && outcome !== '' ? outcome : null,
        narrative,
        actionsTaken: actions,
        followUp,
        people: named,
      },
      { onSuccess: () => notifications.show({ color: 'green', message: t('incidents.changesSaved') }) },
    )
  }

  return (
    <form onSubmit={submit} noValidate>
      <fieldset disabled={readOnly} style={{ border: 0, padding: 0, margin: 0 }}>
        <Stack gap="sm">
          <Group grow align="flex-start">
            <NativeSelect label={t('incidents.kind')} value={kind} onChange={(event) => setKind(event.currentTarget.value as IncidentKind)} data={INCIDENT_KINDS.map((k) => ({ value: k, label: t(`incidents.kinds.${k}`) }))} />
            <TextInput type="datetime-local" label={t('incidents.occurredAt')} value={when} onChange={(event) => setWhen(event.currentTarget.value)} error={errors.occurredAt} />
          </Group>
          <TextInput label={t('incidents.summary')} maxLength={200} value={summary} onChange={(event) => setSummary(event.currentTarget.value)} error={errors.summary} />
          <TextInput label={t('incidents.location')} maxLength={120} value={location} onChange={(event) => setLocation(event.currentTarget.value)} error={errors.location} />
          {overdose ? (
            <Group grow align="flex-start">
              <NumberInput label={t('incidents.doses')} min={0} max={MAX_NALOXONE_DOSES} allowDecimal={false} value={doses} onChange={(value) => setDoses(typeof value === 'number' ? value : '')} error={errors.naloxoneDoses} />
              <NativeSelect
                label={t('incidents.outcome')}
                value={outcome}
                onChange={(event) => setOutcome(event.currentTarget.value as OverdoseOutcome | '')}
                data={[{ value: '', label: t('incidents.outcomeNone') }, ...OVERDOSE_OUTCOMES.map((o) => ({ value: o, label: t(`incidents.outcomes.${o}`) }))]}
                error={errors.outcome}
              />
            </Group>
          ) : null}
          {overdose ? <Checkbox label={t('incidents.ems')} checked={ems} onChange={(event) => setEms(event.currentTarget.checked)} /> : null}
          <Checkbox label={t('incidents.critical')} checked={critical} onChange={(event) => setCritical(event.currentTarget.checked)} />
          <Stack gap={6}>
            <Text fw={600} id="incident-people">
              {t('incidents.people')}
            </Text>
            {people.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('incidents.peopleNone')}
              </Text>
            ) : (
              <List aria-labelledby="incident-people" listStyleType="none" spacing={4}>
                {people.map((person, index) => (
                  <List.Item key={`${person.participantId}-${person.staffId}-${index}`}>
                    <Group gap="xs">
                      <Text size="sm">{personLabel(t, person)}</Text>
                      {readOnly ? null : <CloseButton size="sm" aria-label={t('incidents.removePerson', { name: personLabel(t, person) })} onClick={() => setPeople(people.filter((_, i) => i !== index))} />}
                    </Group>
                  </List.Item>
                ))}
              </List>
            )}
            {readOnly ? null : (
              <>
                <PersonPicker value={picked} onChange={setPicked} label={t('incidents.person')} placeholder={t('incidents.personPlaceholder')} required={false} error={errors.people} />
                <StaffPicker listed={people} onAdd={(staff) => setPeople([...people, { participantId: null, staffId: staff.id, name: staff.name, code: null, description: null }])} />
                <Group align="flex-end" gap="xs">
                  <TextInput style={{ flex: 1 }} label={t('incidents.anonymousDescription')} maxLength={80} value={anonymous} onChange={(event) => setAnonymous(event.currentTarget.value)} />
                  <Button
                    variant="default"
                    onClick={() => {
                      setPeople([...people, { participantId: null, staffId: null, name: null, code: null, description: anonymous.trim() || null }])
                      setAnonymous('')
                    }}
                  >
                    {t('incidents.addAnonymous')}
                  </Button>
                  {me && !people.some((p) => p.staffId === me.id) ? (
                    <Button variant="default" onClick={() => setPeople([...people, { participantId: null, staffId: me.id, name: me.displayName, code: null, description: null }])}>
                      {t('incidents.addMe')}
                    </Button>
                  ) : null}
                </Group>
              </>
            )}
          </Stack>
          <Textarea label={t('incidents.narrative')} autosize minRows={3} maxLength={4000} value={narrative} onChange={(event) => setNarrative(event.currentTarget.value)} error={errors.narrative} />
          <Textarea label={t('incidents.actionsTaken')} autosize minRows={2} maxLength={2000} value={actions} onChange={(event) => setActions(event.currentTarget.value)} error={errors.actionsTaken} />
          <Textarea label={t('incidents.followUp')} autosize minRows={2} maxLength={2000} value={followUp} onChange={(event) => setFollowUp(event.currentTarget.value)} error={errors.followUp} />
          <FormAlert error={update.error} />
          {readOnly ? null : (
            <Group justify="flex-end">
              <Button type="submit" loading={update.isPending}>
                {t('incidents.saveChanges')}
              </Button>
            </Group>
          )}
        </Stack>
      </fieldset>
    </form>
  )
}

/**
 * A colleague involved: choosing a name adds them at once (the list above shows who is named).
 * The search and the value are held here so the field is empty again after each choice.
 */
function StaffPicker({ listed, onAdd }: { listed: Incident['people']; onAdd: (staff: { id: number; name: string }) => void }) {
  const { t } = useTranslation()
  const directory = useStaffDirectory(true)
  const [search, setSearch] = useState('')
  const options = (directory.data ?? []).filter((staff) => !listed.some((person) => person.staffId === staff.id))
  return (
    <Select
      label={t('incidents.staffPerson')}
      description={t('incidents.staffPersonHint')}
      placeholder={t('incidents.staffPersonPlaceholder')}
      searchable
      clearable={false}
      nothingFoundMessage={t('incidents.staffPersonNone')}
      data={options.map((staff) => ({ value: String(staff.id), label: staff.name }))}
      value={null}
      searchValue={search}
      onSearchChange={setSearch}
      onChange={(value) => {
        const staff = options.find((option) => String(option.id) === value)
        if (staff) onAdd(staff)
        setSearch('')
      }}
    />
  )
}

/** A manager's or admin's review closes the report; afterwards everyone sees who closed it and when. */
function Review({ incident }: { incident: Incident }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const role = useCurrentStaff()?.role
  const close = useCloseIncident()
  const [note, setNote] = useState('')
  const errors = fieldErrors(close.error, ['reviewNote'] as const)
  if (incident.closed) {
    return (
      <Stack gap={4}>
        <Divider />
        <Text size="sm" fw={600}>
          {t('incidents.closedNotice', { name: incident.closedByName ?? '', date: incident.closedAt ? formatDate(incident.closedAt, language) : '' })}
        </Text>
        {incident.reviewNote ? <Text size="sm">{incident.reviewNote}</Text> : null}
      </Stack>
    )
  }
  if (role !== 'manager' && role !== 'admin') return null
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault()
        close.mutate({ id: incident.id, reviewNote: note }, { onSuccess: () => notifications.show({ color: 'green', message: t('incidents.closedDone') }) })
      }}
    >
      <Stack gap="sm">
        <Divider />
        <Textarea label={t('incidents.reviewNote')} autosize minRows={2} maxLength={2000} value={note} onChange={(event) => setNote(event.currentTarget.value)} error={errors.reviewNote} />
        {errors.reviewNote ? null : <FormAlert error={close.error} />}
        <Group justify="flex-end">
          <Button type="submit" color="dark" loading={close.isPending}>
            {t('incidents.close')}
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

function History({ incident }: { incident: Incident }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  return (
    <Stack gap={4}>
      <Divider />
      <Title order={3} size="h5">
        {t('incidents.history')}
      </Title>
      <List size="sm" spacing={2} data-testid="incident-history">
        {incident.history.map((change, index) => (
          <List.Item key={index}>
            {`${formatDate(change.at, language)} ${formatTime(change.at, language)} · ${t('incidents.historyLine', { action: t(`incidents.actions.${change.action}`), name: change.staffName ?? '—' })}`}
            {change.action === 'update' ? ` · ${t('incidents.changed', { fields: Object.keys(change.changes).map((field) => t(`incidents.fieldNames.${field}` as never)).join(', ') })}` : ''}
          </List.Item>
        ))}
      </List>
    </Stack>
  )
}
