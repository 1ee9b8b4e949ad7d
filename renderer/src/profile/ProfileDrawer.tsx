import { Alert, Badge, Button, Drawer, Group, Skeleton, Stack, Tabs, Text, Title } from '@mantine/core'
import { IconArrowsJoin, IconInfoCircle } from '@tabler/icons-react'
import { lazy, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { FormAlert } from '../components/FormAlert'
import { Lazy } from '../components/Lazy'
import { canMerge, may, useCurrentStaff } from '../components/ProfileContext'
import { useProfile } from '../hooks/queries'
import { currentLanguage } from '../i18n'
import { formatDate, formatLastVisit, fullName } from '../lib/format'
import type { ParticipantProfile } from '../lib/types'
import { CoachingPanel, CoachName } from '../coaching/CoachingPanel'
import { ProfileGroups } from '../groups/ProfileGroups'
import { ProfileConsents, ProfileReferrals } from '../referrals/ProfileReferrals'
import { ProfileSafety } from '../safety/ProfileSafety'
import { MergeDialog } from './MergeDialog'
import { PrintCodeCard } from './CodeCard'
import { MergeHistory } from './MergeHistory'
import { ProfileDetails } from './ProfileDetails'
import { ServiceTotals } from './ServiceTotals'
import { VisitHistory } from './VisitHistory'

// Its line chart is the only use of the charting library outside the dashboard: read with the tab.
const RecoveryCapital = lazy(() => import('../assessments/RecoveryCapital').then((m) => ({ default: m.RecoveryCapital })))

interface Props {
  /** The person to show, or null when closed. */
  id: number | null
  onClose: () => void
  /** After a merge that kept the other record, or an undo: show that person instead. */
  onOpenOther: (id: number) => void
}

/**
 * One person's profile over whatever screen opened it: details (editable, as the field rules
 * say), visits, services received, merges. Esc or the close button return to where the desk was,
 * with the focus back on what opened it.
 */
export function ProfileDrawer({ id, onClose, onOpenOther }: Props) {
  const { t } = useTranslation()
  const profile = useProfile(id)
  const data = profile.data
  const title = data ? fullName(data.participant) : t('profile.loading')
  return (
    <Drawer
      opened={id !== null}
      onClose={onClose}
      position="right"
      size="min(1040px, 94vw)"
      title={
        <Title order={2} size="h3" component="span">
          {title}
        </Title>
      }
      closeButtonProps={{ 'aria-label': t('profile.close'), size: 'xl' }}
      padding="lg"
      styles={{ header: { borderBottom: '1px solid var(--mantine-color-gray-3)' }, body: { paddingTop: 'var(--mantine-spacing-md)' } }}
    >
      {profile.isPending && id !== null ? (
        <Stack gap="sm" aria-busy>
          <Skeleton h={28} w="40%" />
          <Skeleton h={200} />
        </Stack>
      ) : profile.isError ? (
        <FormAlert error={profile.error} />
      ) : data?.limited ? (
        <LimitedProfile profile={data} />
      ) : data ? (
        <ProfileBody key={data.participant.id} profile={data} onOpenOther={onOpenOther} />
      ) : null}
    </Drawer>
  )
}

/** A facilitator's view: what to call the person and in which language, nothing else. */
function LimitedProfile({ profile }: { profile: ParticipantProfile }) {
  const { t } = useTranslation()
  const person = profile.participant
  const rows: Array<[string, string | null]> = [
    [t('profile.limitedName'), fullName(person)],
    [t('fields.pronouns'), person.pronouns],
    [t('fields.preferredLanguage'), person.preferredLanguage],
  ]
  return (
    <Stack gap="md">
      <Badge size="lg" variant="light" radius="sm" tt="none" ff="monospace" w="fit-content">
        {t('profile.code', { code: person.code })}
      </Badge>
      <Stack gap={6} component="dl" m={0}>
        {rows.map(([label, value]) => (
          <Group key={label} gap="xs" wrap="nowrap">
            <Text component="dt" c="dimmed" w={180}>
              {label}
            </Text>
            <Text component="dd" m={0}>
              {value ?? t('profile.limitedNotGiven')}
            </Text>
          </Group>
        ))}
      </Stack>
      <Alert color="blue" variant="light" icon={<IconInfoCircle aria-hidden />}>
        {t('profile.limitedNote')}
      </Alert>
    </Stack>
  )
}

function ProfileBody({ profile, onOpenOther }: { profile: ParticipantProfile; onOpenOther: (id: number) => void }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const staff = useCurrentStaff()
  const [tab, setTab] = useState<string | null>('details')
  const [merging, setMerging] = useState(false)
  const person = profile.participant
  const activeMerges = profile.merges.filter((merge) => !merge.undoneAt)
  // Referrals and consents are their own channels, closed to the front desk and facilitators.
  const referrals = may(staff, 'referrals.list')
  const assessments = may(staff, 'assessments.list')
  const groups = may(staff, 'groups.personHistory')
  // The coaching record for those who coach; the desk gets only the coach's name (main decides both).
  const coaching = may(staff, 'coaching.get')
  const coachOnly = !coaching && may(staff, 'coaching.coachOf')
  const safety = may(staff, 'careFlags.list')

  return (
    <Stack gap="md">
      {profile.redirectedFrom ? (
        <Alert color="blue" variant="light" icon={<IconInfoCircle aria-hidden />}>
          {t('profile.redirected')}
        </Alert>
      ) : null}
      <Group justify="space-between" align="flex-start">
        <Stack gap={6}>
          <Group gap="xs">
            <Badge size="lg" variant="light" radius="sm" tt="none" ff="monospace">
              {t('profile.code', { code: person.code })}
            </Badge>
            <PrintCodeCard code={person.code} />
            {person.aliases.length > 0 ? (
              <Text size="sm" c="dimmed" data-testid="profile-aliases">
                {t('profile.aliases', { codes: person.aliases.join(', '), count: person.aliases.length })}
              </Text>
            ) : null}
          </Group>
          <Text size="sm" c="dimmed">
            {[
              t('profile.visitCount', { count: person.visitCount }),
              person.lastVisitAt ? t('search.lastVisit', { date: formatLastVisit(person.lastVisitAt, language) }) : t('search.neverVisited'),
              t('profile.registered', { date: formatDate(person.createdAt, language) }),
            ].join(' · ')}
          </Text>
          {coachOnly ? <CoachName participantId={person.id} /> : null}
        </Stack>
        {canMerge(staff) ? (
          <Button variant="default" leftSection={<IconArrowsJoin aria-hidden size={18} />} onClick={() => setMerging(true)}>
            {t('merge.open')}
          </Button>
        ) : null}
      </Group>

      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="details">{t('profile.tabDetails')}</Tabs.Tab>
          <Tabs.Tab value="visits">{t('profile.tabVisits', { count: profile.visits.length })}</Tabs.Tab>
          <Tabs.Tab value="services">{t('profile.tabServices')}</Tabs.Tab>
          {referrals ? <Tabs.Tab value="referrals">{t('profile.tabReferrals')}</Tabs.Tab> : null}
          {referrals ? <Tabs.Tab value="consents">{t('profile.tabConsents')}</Tabs.Tab> : null}
          {assessments ? <Tabs.Tab value="recovery">{t('profile.tabRecovery')}</Tabs.Tab> : null}
          {groups ? <Tabs.Tab value="groups">{t('profile.tabGroups')}</Tabs.Tab> : null}
          {coaching ? <Tabs.Tab value="coaching">{t('coaching.tab')}</Tabs.Tab> : null}
          {safety ? <Tabs.Tab value="safety">{t('careFlags.tabSafety')}</Tabs.Tab> : null}
          <Tabs.Tab value="merges">{t('profile.tabMerges', { count: activeMerges.length })}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="details" pt="md">
          <ProfileDetails person={person} />
        </Tabs.Panel>
        <Tabs.Panel value="visits" pt="md">
          <VisitHistory person={person} visits={profile.visits} />
        </Tabs.Panel>
        <Tabs.Panel value="services" pt="md">
          <ServiceTotals totals={profile.servicesReceived} />
        </Tabs.Panel>
        {referrals ? (
          <Tabs.Panel value="referrals" pt="md">
            <ProfileReferrals participantId={person.id} />
          </Tabs.Panel>
        ) : null}
        {referrals ? (
          <Tabs.Panel value="consents" pt="md">
            <ProfileConsents participantId={person.id} />
          </Tabs.Panel>
        ) : null}
        {assessments ? (
          <Tabs.Panel value="recovery" pt="md">
            <Lazy>
              <RecoveryCapital participantId={person.id} />
            </Lazy>
          </Tabs.Panel>
        ) : null}
        {groups ? (
          <Tabs.Panel value="groups" pt="md">
            <ProfileGroups participantId={person.id} />
          </Tabs.Panel>
        ) : null}
        {coaching ? (
          <Tabs.Panel value="coaching" pt="md">
            <CoachingPanel participantId={person.id} />
          </Tabs.Panel>
        ) : null}
        {safety ? (
          <Tabs.Panel value="safety" pt="md">
            <ProfileSafety participantId={person.id} />
          </Tabs.Panel>
        ) : null}
        <Tabs.Panel value="merges" pt="md">
          <MergeHistory person={person} merges={profile.merges} canUndo={canMerge(staff)} onOpenOther={onOpenOther} />
        </Tabs.Panel>
      </Tabs>
      <MergeDialog
        opened={merging}
        person={person}
        onClose={() => setMerging(false)}
        onMerged={(keptId) => {
          setMerging(false)
          if (keptId !== person.id) onOpenOther(keptId)
          setTab('merges')
        }}
      />
    </Stack>
  )
}
