import { Button, Group, Paper, Skeleton, Stack, Table, Text, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconArrowBackUp, IconLink, IconX } from '@tabler/icons-react'
import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import type { MatchCandidate, MatchGroup, MatchRecord } from '../../../electron/ipc/contract/centers'
import { FormAlert } from '../components/FormAlert'
import { reasonsText } from '../components/DuplicateWarnings'
import { useConfirmMatch, useDismissMatch, usePersonMatches, useUndoMatch } from '../hooks/queries'
import { currentLanguage } from '../i18n'
import { noticeChangedElsewhere } from '../lib/errors'
import { formatDate, fullName } from '../lib/format'
import { formatDay } from '../referrals/labels'

/**
 * The organization admin's review of records at different centers that may be one person
 * (issue 15 point 4): each pair shows only what is needed to decide (names, date of birth, center,
 * last visit), answered "Same person" or "Not the same"; confirmed matches listed below, each
 * record with "Undo". Offered only while the centers match people; matches made before are kept
 * and listed either way.
 */
export function PersonMatchesPanel({ matchPeople }: { matchPeople: boolean }) {
  const { t } = useTranslation()
  const headingId = useId()
  const review = usePersonMatches()
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={headingId}>
      <Stack gap="sm">
        <Title order={2} size="h4" id={headingId}>
          {t('centers.matching.title')}
        </Title>
        <Text maw={760}>{matchPeople ? t('centers.matching.intro') : t('centers.matching.off')}</Text>
        {review.isPending ? <Skeleton h={120} /> : null}
        {review.isError ? <FormAlert error={review.error} /> : null}
        {review.data && matchPeople ? <Candidates candidates={review.data.candidates} /> : null}
        {review.data && review.data.groups.length > 0 ? <Groups groups={review.data.groups} canUndo={matchPeople} /> : null}
      </Stack>
    </Paper>
  )
}

/** "Maria López · born Mar 4, 1980 · last visit Nov 3, 2026", in the words of the screen's language. */
function RecordCell({ record }: { record: MatchRecord }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const born = record.birthDate
    ? t('centers.matching.born', { date: formatDay(record.birthDate, language) })
    : record.birthYear
      ? t('centers.matching.bornIn', { year: record.birthYear })
      : t('centers.matching.noBirth')
  return (
    <Stack gap={0}>
      <Text fw={600}>{fullName(record)}</Text>
      <Text size="sm">
        {record.centerName}
      </Text>
      <Text size="sm" c="dimmed">
        {born} · {record.lastVisitAt ? t('centers.matching.lastVisit', { date: formatDate(record.lastVisitAt, language) }) : t('centers.matching.neverVisited')}
      </Text>
    </Stack>
  )
}

function Candidates({ candidates }: { candidates: MatchCandidate[] }) {
  const { t } = useTranslation()
  const confirm = useConfirmMatch()
  const dismiss = useDismissMatch()
  const busy = (c: MatchCandidate, m: typeof confirm | typeof dismiss) => m.isPending && m.variables?.firstId === c.first.id && m.variables.secondId === c.second.id
  if (candidates.length === 0) return <Text c="dimmed">{t('centers.matching.none')}</Text>
  return (
    <Stack gap="xs">
      <Table.ScrollContainer minWidth={720}>
        <Table verticalSpacing="sm" fz="md" aria-label={t('centers.matching.candidates')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('centers.matching.record')}</Table.Th>
              <Table.Th scope="col">{t('centers.matching.otherRecord')}</Table.Th>
              <Table.Th scope="col">{t('centers.matching.why')}</Table.Th>
              <Table.Th scope="col">
                <span className="pl-visually-hidden">{t('today.actions')}</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {candidates.map((c) => {
              const pair = { first: fullName(c.first), second: fullName(c.second), firstCenter: c.first.centerName, secondCenter: c.second.centerName }
              const input = { firstId: c.first.id, secondId: c.second.id }
              return (
                <Table.Tr key={`${c.first.id}:${c.second.id}`}>
                  <Table.Td>
                    <RecordCell record={c.first} />
                  </Table.Td>
                  <Table.Td>
                    <RecordCell record={c.second} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{reasonsText(t, c.reasons)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6} justify="flex-end" wrap="nowrap">
                      <Button
                        size="xs"
                        h={36}
                        leftSection={<IconLink aria-hidden size={16} />}
                        aria-label={t('centers.matching.confirmPair', pair)}
                        loading={busy(c, confirm)}
                        onClick={() => confirm.mutate(input, { onSuccess: () => notifications.show({ color: 'teal', message: t('centers.matching.confirmed', pair) }) })}
                      >
                        {t('centers.matching.confirm')}
                      </Button>
                      <Button
                        size="xs"
                        h={36}
                        variant="default"
                        leftSection={<IconX aria-hidden size={16} />}
                        aria-label={t('centers.matching.dismissPair', pair)}
                        loading={busy(c, dismiss)}
                        onClick={() => dismiss.mutate(input, { onSuccess: () => notifications.show({ color: 'teal', message: t('centers.matching.dismissed', pair) }) })}
                      >
                        {t('centers.matching.dismiss')}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              )
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <FormAlert error={confirm.error ?? dismiss.error} />
    </Stack>
  )
}

function Groups({ groups, canUndo }: { groups: MatchGroup[]; canUndo: boolean }) {
  const { t } = useTranslation()
  const headingId = useId()
  const undo = useUndoMatch()
  return (
    <Stack gap="xs" mt="sm">
      <Title order={3} size="h5" id={headingId}>
        {t('centers.matching.matched')}
      </Title>
      <Table.ScrollContainer minWidth={560}>
        <Table verticalSpacing="xs" fz="md" aria-labelledby={headingId}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('centers.matching.person')}</Table.Th>
              <Table.Th scope="col">{t('centers.matching.records')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {groups.map((group) => (
              <Table.Tr key={group.key}>
                <Table.Th scope="row" fw={600} style={{ verticalAlign: 'top' }}>
                  {fullName(group.records[0]!)}
                </Table.Th>
                <Table.Td>
                  <Stack gap={6}>
                    {group.records.map((record) => (
                      <Group key={record.id} gap="sm" justify="space-between" wrap="nowrap">
                        <RecordCell record={record} />
                        {canUndo ? (
                          <Button
                            size="xs"
                            h={36}
                            variant="default"
                            leftSection={<IconArrowBackUp aria-hidden size={16} />}
                            aria-label={t('centers.matching.undoRecord', { name: fullName(record), center: record.centerName })}
                            loading={undo.isPending && undo.variables?.participantId === record.id}
                            // mutateAsync, not mutate's callbacks: undoing the last match empties this
                            // table, which unmounts before the refetch settles and would drop the toast.
                            onClick={() =>
                              undo.mutateAsync({ participantId: record.id, version: record.version }).then(
                                () => notifications.show({ color: 'teal', message: t('centers.matching.undone', { name: fullName(record), center: record.centerName }) }),
                                (error: unknown) => noticeChangedElsewhere(t, error),
                              )
                            }
                          >
                            {t('centers.matching.undo')}
                          </Button>
                        ) : null}
                      </Group>
                    ))}
                  </Stack>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {undo.isError && !(typeof undo.error === 'object' && (undo.error as { code?: string }).code === 'STALE') ? <FormAlert error={undo.error} /> : null}
    </Stack>
  )
}
