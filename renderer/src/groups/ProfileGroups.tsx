import { Alert, Loader, Stack, Table, Text } from '@mantine/core'
import { IconFlag } from '@tabler/icons-react'
import { useTranslation } from 'react-i18next'
import { FormAlert } from '../components/FormAlert'
import { currentLanguage } from '../i18n'
import { AttendanceLetterButton } from './AttendanceLetter'
import { formatDay, percent } from './format'
import { usePersonGroups } from '../hooks/queries'

/** A person's groups on the profile (peer specialists, managers): attendance, rate while enrolled, streak; and facilitators' follow-ups. */
export function ProfileGroups({ participantId }: { participantId: number }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const history = usePersonGroups(participantId)
  if (history.isPending) return <Loader aria-label={t('groups.loading')} />
  if (history.isError) return <FormAlert error={history.error} />
  const { groups, followUps } = history.data
  return (
    <Stack gap="md">
      {groups.length ? <AttendanceLetterButton participantId={participantId} /> : null}
      {followUps.map((f) => (
        <Alert key={f.sessionId} color="orange" variant="light" icon={<IconFlag aria-hidden />} title={t('groups.followUpFrom', { group: f.groupName, date: formatDay(f.date, language) })}>
          {f.note}
        </Alert>
      ))}
      {groups.length === 0 ? (
        <Text c="dimmed">{t('groups.noGroupsForPerson')}</Text>
      ) : (
        <Table striped aria-label={t('profile.tabGroups')} data-testid="profile-groups">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('groups.group')}</Table.Th>
              <Table.Th scope="col">{t('groups.attended')}</Table.Th>
              <Table.Th scope="col">{t('groups.attendanceRate')}</Table.Th>
              <Table.Th scope="col">{t('groups.lastAttended')}</Table.Th>
              <Table.Th scope="col">{t('groups.streak')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {groups.map((g) => (
              <Table.Tr key={g.groupId}>
                <Table.Td>
                  {g.groupName}
                  {g.enrolled ? ` · ${t('groups.enrolledBadge')}` : ''}
                </Table.Td>
                <Table.Td>{g.expected ? `${g.attended} / ${g.expected}` : g.attended}</Table.Td>
                <Table.Td>{percent(g.rate, language)}</Table.Td>
                <Table.Td>{g.lastAttended ? formatDay(g.lastAttended, language) : '—'}</Table.Td>
                <Table.Td>{g.streak}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  )
}
