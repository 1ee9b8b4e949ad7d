import { Badge, Box, Button, Group, Modal, Radio, Stack, Table, Text, Textarea, TextInput, VisuallyHidden } from '@mantine/core'
import { useForm } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { IconPlus } from '@tabler/icons-react'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { FormAlert } from '../components/FormAlert'
import { FormFooter } from '../components/FormFooter'
import { useMay } from '../components/ProfileContext'
import { useAssessments, useCreateAssessment, useVoidAssessment } from '../hooks/queries'
import { currentLanguage } from '../i18n'
import { fieldErrors } from '../lib/errors'
import { isRealDay, todayIso } from '../lib/fields'
import { focusFirstError } from '../lib/forms'
import type { Assessment } from '../lib/types'
import { formatDay } from '../referrals/labels'

const ITEMS = 10
const SCALE = [1, 2, 3, 4, 5, 6] as const

/**
 * A person's recovery capital over time (BARC-10: ten statements, 1 to 6 each, 10 to 60 in
 * all): a line of the totals, the list with the change since the one before, and a new one.
 */
export function RecoveryCapital({ participantId }: { participantId: number }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const headingId = useId()
  const assessments = useAssessments(participantId)
  const canAdd = useMay('assessments.create')
  const [adding, setAdding] = useState(false)
  const [voiding, setVoiding] = useState<Assessment | null>(null)
  const all = assessments.data ?? []
  const counted = all.filter((a) => !a.voidedAt)
  const points = counted.map((a) => ({ day: formatDay(a.takenOn, language), total: a.total }))
  const first = counted[0]
  const last = counted.at(-1)
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text fw={600} id={headingId}>
          {t('assessments.title')}
        </Text>
        {canAdd ? (
          <Button variant="default" leftSection={<IconPlus aria-hidden size={16} />} onClick={() => setAdding(true)}>
            {t('assessments.add')}
          </Button>
        ) : null}
      </Group>
      <FormAlert error={assessments.error} />
      {assessments.data && all.length === 0 ? <Text c="dimmed">{t('assessments.none')}</Text> : null}
      {first && last && counted.length > 1 ? (
        // The chart repeats the table below for the eye; a screen reader gets its gist in one sentence.
        <Box role="img" aria-label={t('assessments.chartSummary', { from: first.total, to: last.total, count: counted.length })} h={220}>
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={points} margin={{ top: 8, right: 16, bottom: 0, left: -16 }}>
              <CartesianGrid stroke="var(--mantine-color-gray-3)" strokeDasharray="3 3" />
              <XAxis dataKey="day" tick={{ fontSize: 12 }} />
              <YAxis domain={[10, 60]} ticks={[10, 20, 30, 40, 50, 60]} tick={{ fontSize: 12 }} />
              <Tooltip formatter={(value) => [value, t('assessments.total')]} />
              <Line type="monotone" dataKey="total" stroke="var(--mantine-color-porch-7)" strokeWidth={2} dot={{ r: 4 }} isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </Box>
      ) : null}
      {all.length > 0 ? (
        <Table striped verticalSpacing="xs" aria-labelledby={headingId} data-testid="assessment-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('assessments.takenOn')}</Table.Th>
              <Table.Th scope="col">{t('assessments.total')}</Table.Th>
              <Table.Th scope="col">{t('assessments.change')}</Table.Th>
              <Table.Th scope="col">{t('assessments.by')}</Table.Th>
              <Table.Th scope="col">{t('assessments.note')}</Table.Th>
              {canAdd ? (
                <Table.Th scope="col">
                  <VisuallyHidden>{t('assessments.actions')}</VisuallyHidden>
                </Table.Th>
              ) : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {all.map((a) => {
              const before = counted[counted.indexOf(a) - 1]
              const change = !a.voidedAt && before ? a.total - before.total : null
              return (
                <Table.Tr key={a.id} c={a.voidedAt ? 'dimmed' : undefined}>
                  <Table.Td>{formatDay(a.takenOn, language)}</Table.Td>
                  <Table.Td fw={600} td={a.voidedAt ? 'line-through' : undefined}>
                    {a.total}
                  </Table.Td>
                  <Table.Td>
                    {a.voidedAt ? (
                      <Badge color="gray" variant="outline" tt="none">
                        {t('assessments.voided')}
                      </Badge>
                    ) : change === null ? (
                      '—'
                    ) : (
                      `${change > 0 ? '+' : ''}${change}`
                    )}
                  </Table.Td>
                  <Table.Td>{a.createdByName ?? ''}</Table.Td>
                  <Table.Td>{a.voidedAt ? a.voidReason : a.note}</Table.Td>
                  {canAdd ? (
                    <Table.Td>
                      {a.voidedAt ? null : (
                        <Button size="xs" variant="subtle" color="red" onClick={() => setVoiding(a)} aria-label={t('assessments.voidOne', { date: formatDay(a.takenOn, language) })}>
                          {t('assessments.void')}
                        </Button>
                      )}
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              )
            })}
          </Table.Tbody>
        </Table>
      ) : null}
      <Modal opened={adding} onClose={() => setAdding(false)} title={t('assessments.addTitle')} size="xl" closeButtonProps={{ 'aria-label': t('common.close') }}>
        {adding ? <AssessmentForm participantId={participantId} onClose={() => setAdding(false)} /> : null}
      </Modal>
      <VoidDialog assessment={voiding} onClose={() => setVoiding(null)} />
    </Stack>
  )
}

/** A new BARC-10; `contact` when it is taken at a coaching contact (a meeting), on that contact's day. */
export function AssessmentForm({ participantId, contact, onClose }: { participantId: number; contact?: { id: number; on: string }; onClose: () => void }) {
  const { t } = useTranslation()
  const create = useCreateAssessment()
  const today = todayIso()
  const form = useForm({
    initialValues: { answers: Array.from({ length: ITEMS }, () => ''), takenOn: contact?.on ?? today, note: '' },
    validate: (values) => {
      const errors: Record<string, string | null> = {
        takenOn: !isRealDay(values.takenOn) ? t('validation.dateInvalid') : values.takenOn > today ? t('validation.dateFuture') : null,
        note: values.note.length > 500 ? t('validation.maxLength', { max: 500 }) : null,
      }
      values.answers.forEach((value, i) => {
        errors[`answers.${i}`] = value ? null : t('assessments.answerRequired')
      })
      return errors
    },
  })
  const answered = form.values.answers.filter(Boolean).map(Number)
  const submit = form.onSubmit(
    (values) =>
      create.mutate(
        { participantId, takenOn: values.takenOn, answers: values.answers.map(Number), note: values.note, ...(contact ? { contactId: contact.id } : {}) },
        {
          onSuccess: (made) => {
            notifications.show({ message: t('assessments.saved', { total: made.total }), color: 'teal' })
            onClose()
          },
          onError: (error) => form.setErrors(fieldErrors(error, ['takenOn', 'note', 'answers'] as const)),
        },
      ),
    focusFirstError,
  )
  return (
    <form noValidate onSubmit={submit}>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('assessments.intro')}
        </Text>
        <Text size="sm" fw={500}>
          {SCALE.map((n) => `${n} ${t(`assessments.scale.${n}`)}`).join(' · ')}
        </Text>
        {Array.from({ length: ITEMS }, (_, i) => (
          <Radio.Group key={i} label={`${i + 1}. ${t(`assessments.items.${i}` as 'assessments.items.0')}`} required {...form.getInputProps(`answers.${i}`)}>
            <Group gap="lg" mt={6}>
              {SCALE.map((n) => (
                <Radio key={n} value={String(n)} label={String(n)} aria-label={`${n}: ${t(`assessments.scale.${n}`)}`} />
              ))}
            </Group>
          </Radio.Group>
        ))}
        <Group align="flex-end">
          <TextInput type="date" label={t('assessments.takenOn')} required max={today} w={200} {...form.getInputProps('takenOn')} />
          <Text fw={600} role="status">
            {t('assessments.runningTotal', { total: answered.reduce((sum, n) => sum + n, 0), answered: answered.length })}
          </Text>
        </Group>
        <Textarea label={t('assessments.note')} description={t('assessments.noteHint')} autosize minRows={2} maxLength={500} {...form.getInputProps('note')} />
        <FormFooter error={create.error} onCancel={onClose} submitLabel={t('assessments.save')} pending={create.isPending} />
      </Stack>
    </form>
  )
}

function VoidDialog({ assessment, onClose }: { assessment: Assessment | null; onClose: () => void }) {
  const { t } = useTranslation()
  const voidIt = useVoidAssessment()
  const [reason, setReason] = useState('')
  const short = reason.trim().length < 3
  return (
    <Modal opened={assessment !== null} onClose={onClose} title={t('assessments.voidTitle')} closeButtonProps={{ 'aria-label': t('common.close') }}>
      {assessment ? (
        <Stack>
          <Text>{t('assessments.voidIntro')}</Text>
          <Textarea label={t('assessments.voidReason')} required value={reason} onChange={(event) => setReason(event.currentTarget.value)} maxLength={300} autosize minRows={2} />
          <FormAlert error={voidIt.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button color="red" disabled={short} loading={voidIt.isPending} onClick={() => voidIt.mutate({ id: assessment.id, reason }, { onSuccess: onClose })}>
              {t('assessments.void')}
            </Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  )
}
