import { Badge, Group, Select, Stack, Table, Text, Title } from '@mantine/core'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { FormAlert } from '../components/FormAlert'
import { useCurrentStaff, useOpenProfile } from '../components/ProfileContext'
import { currentLanguage } from '../i18n'
import { formatDay } from '../referrals/labels'
import { CoachingSettingsButton } from './CoachingSettingsPanel'
import { useCaseload, useCoaches } from '../hooks/queries'
import { WarmlinePanel } from './WarmlinePanel'

/**
 * "My caseload": the people a peer specialist coaches, with the days since each was last in touch
 * (highlighted past the center's threshold), the next meeting, plan steps due and engagements
 * nearing their end. A manager chooses a coach, or sees every caseload at once.
 */
export function CaseloadScreen() {
  const { t } = useTranslation()
  const language = currentLanguage()
  const staff = useCurrentStaff()
  const openProfile = useOpenProfile()
  const headingId = useId()
  const acrossStaff = staff?.role !== 'peer_specialist'
  const [coach, setCoach] = useState<string | null>(null)
  const coaches = useCoaches()
  const caseload = useCaseload(acrossStaff && coach ? Number(coach) : undefined)
  const rows = caseload.data?.rows ?? []
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Title order={1} id={headingId}>
          {acrossStaff ? t('coaching.caseloads') : t('coaching.myCaseload')}
        </Title>
        <Group align="flex-end">
        <CoachingSettingsButton />
        {acrossStaff ? (
          <Select
            label={t('coaching.coach')}
            placeholder={t('coaching.everyCoach')}
            clearable
            w={240}
            data={(coaches.data ?? []).map((c) => ({ value: String(c.id), label: c.name }))}
            value={coach}
            onChange={setCoach}
          />
        ) : null}
        </Group>
      </Group>
      <FormAlert error={caseload.error} />
      {caseload.data ? (
        <Text size="sm" c="dimmed">
          {t('coaching.caseloadSummary', { count: rows.length, stale: caseload.data.settings.staleAfterDays })}
        </Text>
      ) : null}
      {caseload.data && rows.length === 0 ? <Text c="dimmed">{t('coaching.caseloadEmpty')}</Text> : null}
      {rows.length > 0 ? (
        <Table striped highlightOnHover aria-labelledby={headingId} data-testid="caseload-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('coaching.person')}</Table.Th>
              {acrossStaff ? <Table.Th scope="col">{t('coaching.coach')}</Table.Th> : null}
              <Table.Th scope="col">{t('coaching.lastContact')}</Table.Th>
              <Table.Th scope="col">{t('coaching.daysSince')}</Table.Th>
              <Table.Th scope="col">{t('coaching.nextMeeting')}</Table.Th>
              <Table.Th scope="col">{t('coaching.stepsDue')}</Table.Th>
              <Table.Th scope="col">{t('coaching.ends')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={row.engagementId}>
                <Table.Th scope="row">
                  <Text component="button" type="button" fw={600} td="underline" c="porch.8" style={{ background: 'none', border: 0, padding: 0, cursor: 'pointer' }} onClick={() => openProfile(row.participantId)}>
                    {row.name}
                  </Text>
                  {row.status === 'paused' ? (
                    <Badge ml="xs" variant="outline" color="gray" tt="none">
                      {t('coaching.statuses.paused')}
                    </Badge>
                  ) : null}
                </Table.Th>
                {acrossStaff ? <Table.Td>{row.coach.name}</Table.Td> : null}
                <Table.Td>{row.lastContactOn ? formatDay(row.lastContactOn, language) : t('coaching.never')}</Table.Td>
                <Table.Td>
                  {row.stale ? (
                    <Badge color="red.9" variant="light" tt="none">
                      {t('coaching.daysStale', { count: row.daysSinceContact })}
                    </Badge>
                  ) : (
                    t('coaching.days', { count: row.daysSinceContact })
                  )}
                </Table.Td>
                <Table.Td>{row.nextMeeting ? `${formatDay(row.nextMeeting.date, language)} ${row.nextMeeting.time} · ${t(`coaching.kinds.${row.nextMeeting.kind}`)}` : '—'}</Table.Td>
                <Table.Td>{row.stepsDue > 0 ? row.stepsDue : '—'}</Table.Td>
                <Table.Td>
                  {formatDay(row.endsOn, language)}
                  {row.nearingEnd ? (
                    <Badge ml="xs" color="orange.9" variant="outline" c="dark.7" tt="none">
                      {row.daysLeft < 0 ? t('coaching.overdue') : t('coaching.endsIn', { count: row.daysLeft })}
                    </Badge>
                  ) : null}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
      <WarmlinePanel />
    </Stack>
  )
}
