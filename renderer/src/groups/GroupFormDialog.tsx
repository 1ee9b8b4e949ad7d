import { Button, Checkbox, Group, Modal, MultiSelect, NumberInput, SegmentedControl, Select, Stack, Text, TextInput, Textarea } from '@mantine/core'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { GroupSummary, MonthWeek, SchedulePattern, Weekday } from '../../../electron/ipc/contract'
import { FormAlert } from '../components/FormAlert'
import { currentLanguage } from '../i18n'
import { fieldErrors, noticeChangedElsewhere } from '../lib/errors'
import { todayIso } from '../lib/fields'
import { useGroupStaff, useSaveGroup } from '../hooks/queries'
import { weekdayName } from './schedule-text'

const WEEKDAYS: readonly Weekday[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU']
const MONTH_WEEKS: readonly MonthWeek[] = [1, 2, 3, 4, 5, -1]

interface Props {
  opened: boolean
  group: GroupSummary | null
  onClose: () => void
  onSaved: (group: GroupSummary) => void
}

interface Values {
  name: string
  description: string
  kind: 'open' | 'closed'
  room: string
  capacity: number | string
  seriesLength: number | string
  durationMinutes: number | string
  facilitatorIds: string[]
  pattern: SchedulePattern
}

function initial(group: GroupSummary | null): Values {
  return {
    name: group?.name ?? '',
    description: group?.description ?? '',
    kind: group?.kind ?? 'open',
    room: group?.room ?? '',
    capacity: group?.capacity ?? '',
    seriesLength: group?.seriesLength ?? '',
    durationMinutes: group?.durationMinutes ?? 60,
    facilitatorIds: group?.facilitators.map((f) => String(f.id)) ?? [],
    pattern: group?.pattern ?? { startDate: todayIso(), startTime: '18:00', frequency: 'weekly', interval: 1, weekdays: [], monthWeek: null, until: null, exDates: [], rDates: [] },
  }
}

const asNumber = (value: number | string) => (typeof value === 'number' ? value : null)

/** Create or edit a group: details, facilitators and a weekly or monthly schedule. */
export function GroupFormDialog({ opened, group, onClose, onSaved }: Props) {
  const { t } = useTranslation()
  return (
    <Modal opened={opened} onClose={onClose} title={group ? t('groups.editGroup') : t('groups.newGroup')} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
      {/* Mounted only while open: each opening starts from the group as it is. */}
      {opened ? <GroupForm group={group} onClose={onClose} onSaved={onSaved} /> : null}
    </Modal>
  )
}

function GroupForm({ group, onClose, onSaved }: Omit<Props, 'opened'>) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const staff = useGroupStaff()
  const save = useSaveGroup()
  const [values, setValues] = useState<Values>(() => initial(group))
  // The version the form was filled from, not the newest a live refresh brings: a save over another PC's change is refused.
  const [base] = useState(group?.version)
  const set = <K extends keyof Values>(key: K, value: Values[K]) => setValues((v) => ({ ...v, [key]: value }))
  const setPattern = (change: Partial<SchedulePattern>) => setValues((v) => ({ ...v, pattern: { ...v.pattern, ...change } }))
  const fields = fieldErrors(save.error, ['name', 'facilitatorIds', 'capacity', 'seriesLength', 'schedule'] as const)
  const pattern = values.pattern

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault()
        save.mutate(
          {
            ...(group ? { id: group.id, version: base! } : {}),
            name: values.name,
            description: values.description,
            kind: values.kind,
            room: values.room,
            capacity: asNumber(values.capacity),
            seriesLength: values.kind === 'closed' ? asNumber(values.seriesLength) : null,
            durationMinutes: asNumber(values.durationMinutes) ?? 60,
            facilitatorIds: values.facilitatorIds.map(Number),
            schedule: { pattern: { ...pattern, monthWeek: pattern.frequency === 'monthly' ? (pattern.monthWeek ?? 1) : null, interval: pattern.frequency === 'monthly' ? 1 : pattern.interval } },
          },
          { onSuccess: onSaved, onError: (error) => (noticeChangedElsewhere(t, error) ? onClose() : undefined) },
        )
      }}
    >
      <Stack gap="sm">
        <TextInput label={t('groups.name')} required value={values.name} onChange={(e) => set('name', e.currentTarget.value)} error={fields.name} maxLength={100} data-autofocus />
        <Textarea label={t('groups.description')} value={values.description} onChange={(e) => set('description', e.currentTarget.value)} autosize minRows={2} maxLength={1000} />
        <Stack gap={4}>
          <Text size="sm" fw={500} id="group-kind-label">
            {t('groups.kind')}
          </Text>
          <SegmentedControl
            aria-labelledby="group-kind-label"
            value={values.kind}
            onChange={(value) => set('kind', value as Values['kind'])}
            data={[
              { value: 'open', label: t('groups.kindOpen') },
              { value: 'closed', label: t('groups.kindClosed') },
            ]}
          />
        </Stack>
        <MultiSelect
          label={t('groups.facilitators')}
          required
          data={(staff.data ?? []).map((s) => ({ value: String(s.id), label: s.name }))}
          value={values.facilitatorIds}
          onChange={(ids) => set('facilitatorIds', ids)}
          error={fields.facilitatorIds}
          searchable
        />
        <Group grow>
          <TextInput label={t('groups.room')} value={values.room} onChange={(e) => set('room', e.currentTarget.value)} maxLength={60} />
          <NumberInput label={t('groups.capacity')} value={values.capacity} onChange={(v) => set('capacity', v)} min={1} max={500} allowDecimal={false} error={fields.capacity} />
          {values.kind === 'closed' ? (
            <NumberInput label={t('groups.seriesLength')} value={values.seriesLength} onChange={(v) => set('seriesLength', v)} min={1} max={200} allowDecimal={false} error={fields.seriesLength} />
          ) : null}
        </Group>
        <Text fw={600} mt="xs">
          {t('groups.schedule')}
        </Text>
        <Group grow>
          <Select
            label={t('groups.frequency')}
            data={[
              { value: 'weekly', label: t('groups.weekly') },
              { value: 'monthly', label: t('groups.monthly') },
            ]}
            value={pattern.frequency}
            onChange={(value) => setPattern({ frequency: (value ?? 'weekly') as SchedulePattern['frequency'], weekdays: pattern.weekdays.slice(0, value === 'monthly' ? 1 : 7) })}
            allowDeselect={false}
          />
          {pattern.frequency === 'weekly' ? (
            <Select
              label={t('groups.interval')}
              data={[1, 2, 3, 4].map((n) => ({ value: String(n), label: t('groups.everyWeeks', { count: n }) }))}
              value={String(pattern.interval)}
              onChange={(value) => setPattern({ interval: Number(value ?? 1) })}
              allowDeselect={false}
            />
          ) : (
            <Select
              label={t('groups.whichWeek')}
              data={MONTH_WEEKS.map((w) => ({ value: String(w), label: t(`groups.monthWeek.${w}`) }))}
              value={String(pattern.monthWeek ?? 1)}
              onChange={(value) => setPattern({ monthWeek: Number(value ?? 1) as MonthWeek })}
              allowDeselect={false}
            />
          )}
        </Group>
        <Checkbox.Group label={t('groups.days')} value={pattern.weekdays} onChange={(days) => setPattern({ weekdays: (pattern.frequency === 'monthly' ? days.slice(-1) : days) as Weekday[] })} error={fields.schedule}>
          <Group gap="sm" mt={4}>
            {WEEKDAYS.map((day) => (
              <Checkbox key={day} value={day} label={weekdayName(day, language)} />
            ))}
          </Group>
        </Checkbox.Group>
        <Group grow>
          <TextInput type="date" label={t('groups.startDate')} required value={pattern.startDate} onChange={(e) => setPattern({ startDate: e.currentTarget.value })} />
          <TextInput type="time" label={t('groups.startTime')} required value={pattern.startTime} onChange={(e) => setPattern({ startTime: e.currentTarget.value })} />
          <NumberInput label={t('groups.duration')} value={values.durationMinutes} onChange={(v) => set('durationMinutes', v)} min={5} max={600} step={15} allowDecimal={false} />
        </Group>
        <TextInput type="date" label={t('groups.until')} description={t('groups.untilHelp')} value={pattern.until ?? ''} onChange={(e) => setPattern({ until: e.currentTarget.value || null })} />
        {save.error ? <FormAlert error={save.error} /> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {t('groups.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
