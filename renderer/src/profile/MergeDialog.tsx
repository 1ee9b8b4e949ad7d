import { Button, Group, Loader, Modal, Radio, ScrollArea, SimpleGrid, Stack, Table, Text, TextInput, Textarea, UnstyledButton, VisuallyHidden } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { notifications } from '@mantine/notifications'
import { IconArrowsJoin, IconSearch } from '@tabler/icons-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { FormAlert } from '../components/FormAlert'
import { useDuplicates, useMerge, useParticipantSearch, useProfile } from '../hooks/queries'
import { currentLanguage } from '../i18n'
import { INPUT_NAMES, answerLabel } from '../lib/fields'
import { formatDate, formatLastVisit, fullName, shortName } from '../lib/format'
import type { ParticipantDetails, ParticipantSummary } from '../lib/types'

interface Props {
  opened: boolean
  person: ParticipantDetails
  onClose: () => void
  /** The id of the record that was kept. */
  onMerged: (keptId: number) => void
}

/** Merge two records of the same person: pick the other, compare side by side, choose which to keep, confirm. */
export function MergeDialog({ opened, person, onClose, onMerged }: Props) {
  const { t } = useTranslation()
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t('merge.title', { name: shortName(person) })}
      size="xl"
      centered
      closeButtonProps={{ 'aria-label': t('common.close') }}
      styles={{ title: { fontWeight: 700, fontSize: 'var(--mantine-font-size-lg)' } }}
    >
      {opened ? <MergeFlow person={person} onCancel={onClose} onMerged={onMerged} /> : null}
    </Modal>
  )
}

function MergeFlow({ person, onCancel, onMerged }: { person: ParticipantDetails; onCancel: () => void; onMerged: (keptId: number) => void }) {
  const [otherId, setOtherId] = useState<number | null>(null)
  return otherId === null ? (
    <PickOther person={person} onPick={setOtherId} onCancel={onCancel} />
  ) : (
    <Compare person={person} otherId={otherId} onBack={() => setOtherId(null)} onMerged={onMerged} />
  )
}

function PersonChoice({ person, onPick }: { person: ParticipantSummary; onPick: () => void }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  return (
    // The name comes from the visible text (WCAG 2.5.3: what a voice user reads out must work), with "Compare with" before it for screen readers.
    <UnstyledButton onClick={onPick} className="pl-choice">
      <Text fw={600}>
        <VisuallyHidden>{t('merge.compareWith')} </VisuallyHidden>
        {`${fullName(person)} (${person.code})`}
      </Text>
      <Text size="sm" c="dimmed">
        {[
          person.birthYear ? t('search.born', { year: person.birthYear }) : t('search.birthUnknown'),
          person.lastVisitAt ? t('search.lastVisit', { date: formatLastVisit(person.lastVisitAt, language) }) : t('search.neverVisited'),
          person.phoneLast4 ? t('search.phone', { last4: person.phoneLast4 }) : null,
        ]
          .filter(Boolean)
          .join(' · ')}
      </Text>
    </UnstyledButton>
  )
}

function PickOther({ person, onPick, onCancel }: { person: ParticipantDetails; onPick: (id: number) => void; onCancel: () => void }) {
  const { t } = useTranslation()
  const [text, setText] = useState('')
  const [debounced] = useDebouncedValue(text.trim(), 200)
  const search = useParticipantSearch(debounced)
  // Until the desk searches, the likely duplicates of this person.
  const suggested = useDuplicates({
    firstName: person.firstName,
    nickname: person.nickname,
    lastName: person.lastName,
    birthYear: person.birthYear,
    phone: person.phone,
  })
  const found = (debounced ? (search.data ?? []) : (suggested.data ?? [])).filter((p) => p.id !== person.id)
  const busy = debounced ? search.isFetching : suggested.isFetching
  return (
    <Stack gap="md">
      <Text>{t('merge.pickIntro', { name: fullName(person), code: person.code })}</Text>
      <TextInput
        label={t('merge.searchLabel')}
        placeholder={t('search.placeholder')}
        value={text}
        onChange={(event) => setText(event.currentTarget.value)}
        leftSection={<IconSearch aria-hidden size={18} />}
        rightSection={busy ? <Loader size="xs" aria-hidden /> : null}
        data-autofocus
        autoComplete="off"
      />
      <Stack gap={4} role="region" aria-label={debounced ? t('merge.results') : t('merge.suggested')} aria-live="polite">
        <Text size="sm" fw={600} c="dimmed">
          {debounced ? t('merge.results') : t('merge.suggested')}
        </Text>
        {found.length === 0 && !busy ? <Text c="dimmed">{debounced ? t('search.noMatch', { text: debounced }) : t('merge.noSuggestions')}</Text> : null}
        <ScrollArea.Autosize mah={320} type="auto">
          <Stack gap={4}>
            {found.map((other) => (
              <PersonChoice key={other.id} person={other} onPick={() => onPick(other.id)} />
            ))}
          </Stack>
        </ScrollArea.Autosize>
      </Stack>
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </Group>
    </Stack>
  )
}

function Compare({ person, otherId, onBack, onMerged }: { person: ParticipantDetails; otherId: number; onBack: () => void; onMerged: (keptId: number) => void }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const other = useProfile(otherId)
  const merge = useMerge()
  const [keep, setKeep] = useState<'this' | 'other'>('this')
  const [note, setNote] = useState('')

  if (other.isPending) return <Loader aria-label={t('profile.loading')} />
  if (other.isError) return <FormAlert error={other.error} />
  const that = other.data.participant
  const kept = keep === 'this' ? person : that
  const merged = keep === 'this' ? that : person

  const rows: Array<{ label: string; a: string; b: string }> = [
    { label: t('merge.rowName'), a: fullName(person), b: fullName(that) },
    { label: t('merge.rowCode'), a: person.code, b: that.code },
    ...INPUT_NAMES.filter((name) => name !== 'lastName').map((name) => ({
      label: t(`fields.${name}`),
      a: person[name] === null ? '—' : answerLabel(t, name, String(person[name])),
      b: that[name] === null ? '—' : answerLabel(t, name, String(that[name])),
    })),
    { label: t('merge.rowVisits'), a: String(person.visitCount), b: String(that.visitCount) },
    {
      label: t('merge.rowLastVisit'),
      a: person.lastVisitAt ? formatDate(person.lastVisitAt, language) : '—',
      b: that.lastVisitAt ? formatDate(that.lastVisitAt, language) : '—',
    },
    { label: t('merge.rowRegistered'), a: formatDate(person.createdAt, language), b: formatDate(that.createdAt, language) },
  ].filter((row) => row.a !== '—' || row.b !== '—')

  return (
    <Stack gap="md">
      <Radio.Group
        value={keep}
        onChange={(value) => setKeep(value as 'this' | 'other')}
        label={t('merge.keepLabel')}
        description={t('merge.keepHint')}
      >
        <SimpleGrid mt="xs" cols={2} spacing="sm">
          <Radio.Card value="this" className="pl-radio-card" p="sm" radius="md">
            <Group wrap="nowrap" align="flex-start">
              <Radio.Indicator />
              <div>
                <Text fw={600}>{t('merge.keepThis', { name: fullName(person), code: person.code })}</Text>
                <Text size="sm" c="dimmed">
                  {t('profile.visitCount', { count: person.visitCount })}
                </Text>
              </div>
            </Group>
          </Radio.Card>
          <Radio.Card value="other" className="pl-radio-card" p="sm" radius="md">
            <Group wrap="nowrap" align="flex-start">
              <Radio.Indicator />
              <div>
                <Text fw={600}>{t('merge.keepThis', { name: fullName(that), code: that.code })}</Text>
                <Text size="sm" c="dimmed">
                  {t('profile.visitCount', { count: that.visitCount })}
                </Text>
              </div>
            </Group>
          </Radio.Card>
        </SimpleGrid>
      </Radio.Group>

      <Table withTableBorder withColumnBorders verticalSpacing={4} fz="sm" aria-label={t('merge.compareTable')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col" w="24%">
              <span className="pl-visually-hidden">{t('merge.rowField')}</span>
            </Table.Th>
            <Table.Th scope="col" bg={keep === 'this' ? 'porch.0' : undefined}>
              {person.code} {keep === 'this' ? `· ${t('merge.kept')}` : `· ${t('merge.mergedAway')}`}
            </Table.Th>
            <Table.Th scope="col" bg={keep === 'other' ? 'porch.0' : undefined}>
              {that.code} {keep === 'other' ? `· ${t('merge.kept')}` : `· ${t('merge.mergedAway')}`}
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => {
            const differ = row.a !== row.b
            return (
              <Table.Tr key={row.label}>
                <Table.Th scope="row" fw={500} c="dimmed">
                  {row.label}
                </Table.Th>
                <Table.Td fw={differ ? 600 : undefined}>{row.a}</Table.Td>
                <Table.Td fw={differ ? 600 : undefined}>{row.b}</Table.Td>
              </Table.Tr>
            )
          })}
        </Table.Tbody>
      </Table>

      <Text>{t('merge.summary', { merged: merged.code, kept: fullName(kept), keptCode: kept.code, count: merged.visitCount })}</Text>
      <Textarea label={t('merge.note')} description={t('merge.noteHint')} maxLength={500} autosize minRows={1} value={note} onChange={(event) => setNote(event.currentTarget.value)} />
      <FormAlert error={merge.error} />
      <Group justify="space-between">
        <Button variant="subtle" onClick={onBack}>
          {t('merge.back')}
        </Button>
        <Button
          leftSection={<IconArrowsJoin aria-hidden size={18} />}
          loading={merge.isPending}
          onClick={() =>
            merge.mutate(
              { keepId: kept.id, mergeId: merged.id, note: note.trim() || null, keepVersion: kept.version, mergeVersion: merged.version },
              {
                onSuccess: (record) => {
                  notifications.show({ color: 'green', title: t('merge.doneTitle'), message: t('merge.doneMessage', { merged: record.mergedCode, kept: kept.code }) })
                  onMerged(record.keptId)
                },
              },
            )
          }
        >
          {t('merge.confirm')}
        </Button>
      </Group>
    </Stack>
  )
}
