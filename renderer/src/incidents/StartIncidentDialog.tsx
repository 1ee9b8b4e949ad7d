import { Button, Checkbox, Group, Modal, NativeSelect, NumberInput, Stack, Text, TextInput } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { CRITICAL_KINDS, INCIDENT_KINDS, MAX_NALOXONE_DOSES, type IncidentKind } from '../../../db/domain'
import { FormAlert } from '../components/FormAlert'
import { fieldErrors } from '../lib/errors'
import { PersonPicker } from '../referrals/PersonPicker'
import { fromLocalField, toLocalField } from './fields'
import { useStartIncident } from '../hooks/queries'
import { placeTime, type IncidentPlace } from './place'

interface Props {
  opened: boolean
  /** Where the person reporting is working, when their screen knows (a group session). */
  place: IncidentPlace | null
  onClose: () => void
}

/**
 * Starting an incident report under pressure, in one dialog and with the keyboard alone: the
 * kind, one line, and the time (now unless changed); and, if known already, the person, the
 * naloxone doses and whether EMS was called. Enter in a field saves. The time comes after the
 * rest: it is rarely changed, and its date and time parts each take a Tab. The rest is filled
 * in later (IncidentDialog). Opened from a group session, "Where" holds the session's room and,
 * when the session is over, the time its start.
 */
export function StartIncidentDialog({ opened, place, onClose }: Props) {
  const { t } = useTranslation()
  return (
    <Modal opened={opened} onClose={onClose} title={t('incidents.startTitle')} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
      {/* A fresh form each time it opens: the time is "now" again. */}
      {opened ? <StartForm place={place} onClose={onClose} /> : null}
    </Modal>
  )
}

const FIELDS = ['kind', 'occurredAt', 'summary', 'location', 'naloxoneDoses', 'people'] as const

function StartForm({ place, onClose }: { place: IncidentPlace | null; onClose: () => void }) {
  const { t } = useTranslation()
  const start = useStartIncident()
  const [kind, setKind] = useState<IncidentKind | ''>('')
  // Read once when the dialog opens: the time the desk starts writing is the best guess (or a
  // session's start, when it is reported after the session).
  const [opening] = useState(() => placeTime(place, new Date()))
  const [when, setWhen] = useState(() => toLocalField(opening.at))
  const [location, setLocation] = useState(place?.location ?? '')
  const [summary, setSummary] = useState('')
  const [person, setPerson] = useState<number | null>(null)
  const [doses, setDoses] = useState<number | ''>('')
  const [ems, setEms] = useState(false)
  const [critical, setCritical] = useState<boolean | null>(null)
  const overdose = kind === 'overdose'
  const isCritical = critical ?? (kind !== '' && CRITICAL_KINDS.includes(kind))
  const errors = fieldErrors(start.error, FIELDS)

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (kind === '' || start.isPending) return
    start.mutate(
      {
        kind,
        summary,
        occurredAt: fromLocalField(when) ?? undefined,
        location: location.trim() || null,
        critical: isCritical,
        people: person !== null ? [{ participantId: person }] : [],
        ...(overdose ? { naloxoneDoses: doses === '' ? null : doses, emsCalled: ems } : {}),
      },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: t('incidents.saved') })
          onClose()
        },
      },
    )
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('incidents.startIntro')}
        </Text>
        {place ? (
          <Text size="sm" data-testid="incident-from-session">
            {t(opening.fromSession ? 'incidents.fromSessionOver' : 'incidents.fromSession', { name: place.from })}
          </Text>
        ) : null}
        <NativeSelect
          label={t('incidents.kind')}
          required
          data-autofocus
          value={kind}
          onChange={(event) => setKind(event.currentTarget.value as IncidentKind | '')}
          data={[{ value: '', label: t('incidents.kindPlaceholder'), disabled: true }, ...INCIDENT_KINDS.map((k) => ({ value: k, label: t(`incidents.kinds.${k}`) }))]}
        />
        <TextInput
          label={t('incidents.summary')}
          placeholder={t('incidents.summaryPlaceholder')}
          required
          maxLength={200}
          value={summary}
          onChange={(event) => setSummary(event.currentTarget.value)}
          error={errors.summary}
          autoComplete="off"
        />
        <PersonPicker value={person} onChange={setPerson} label={t('incidents.person')} placeholder={t('incidents.personPlaceholder')} required={false} error={errors.people} />
        {overdose ? (
          <Group align="flex-start" grow>
            <NumberInput
              label={t('incidents.doses')}
              description={t('incidents.dosesHint')}
              min={0}
              max={MAX_NALOXONE_DOSES}
              allowDecimal={false}
              value={doses}
              onChange={(value) => setDoses(typeof value === 'number' ? value : '')}
              error={errors.naloxoneDoses}
            />
            <Checkbox mt={34} label={t('incidents.ems')} checked={ems} onChange={(event) => setEms(event.currentTarget.checked)} />
          </Group>
        ) : null}
        <TextInput type="datetime-local" label={t('incidents.occurredAt')} required value={when} onChange={(event) => setWhen(event.currentTarget.value)} error={errors.occurredAt} />
        <TextInput label={t('incidents.location')} maxLength={120} value={location} onChange={(event) => setLocation(event.currentTarget.value)} error={errors.location} autoComplete="off" />
        <Checkbox label={t('incidents.critical')} checked={isCritical} onChange={(event) => setCritical(event.currentTarget.checked)} />
        <FormAlert error={start.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={start.isPending} disabled={kind === ''}>
            {t('incidents.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
