import { Button, Group, Paper, Stack, Tabs, Title } from '@mantine/core'
import { IconPlus } from '@tabler/icons-react'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useMay } from '../components/ProfileContext'
import { AgenciesPanel } from './AgenciesPanel'
import { NewReferralDialog } from './NewReferralDialog'
import { ReferralDialog } from './ReferralDialog'
import { ReferralRequests } from './ReferralRequests'
import { UpdatedCue } from '../components/UpdatedCue'
import { cueKey } from '../hooks/live'

const REFERRALS_CUE = [cueKey('referrals')]
import { ReferralTable } from './ReferralTable'

/**
 * Peer specialists' work list: referrals that need a follow-up call today or sooner come first;
 * the agency directory beside it. Managers see the same, read-only.
 */
export function ReferralsScreen() {
  const { t } = useTranslation()
  const headingId = useId()
  const canCreate = useMay('referrals.create')
  const [tab, setTab] = useState<string | null>('referrals')
  // true: a new referral for anyone; a number: for the person who asked at the desk.
  const [creating, setCreating] = useState<boolean | { id: number; name: string }>(false)
  const [openId, setOpenId] = useState<number | null>(null)
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={headingId}>
      <Stack gap="sm">
        <Group justify="space-between" align="baseline">
          <Group gap="xs" align="baseline">
            <Title order={1} size="h3" id={headingId}>
              {t('referrals.title')}
            </Title>
            <UpdatedCue watch={REFERRALS_CUE} />
          </Group>
          {canCreate && tab === 'referrals' ? (
            <Button leftSection={<IconPlus aria-hidden size={18} />} onClick={() => setCreating(true)}>
              {t('referrals.new')}
            </Button>
          ) : null}
        </Group>
        <Tabs value={tab} onChange={setTab} keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="referrals">{t('referrals.tabReferrals')}</Tabs.Tab>
            <Tabs.Tab value="agencies">{t('referrals.tabAgencies')}</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="referrals" pt="md">
            <ReferralRequests onStart={(person) => setCreating(person)} />
            <ReferralTable onOpen={setOpenId} labelledBy={headingId} />
          </Tabs.Panel>
          <Tabs.Panel value="agencies" pt="md">
            <AgenciesPanel labelledBy={headingId} />
          </Tabs.Panel>
        </Tabs>
      </Stack>
      <NewReferralDialog
        key={typeof creating === 'object' ? creating.id : String(creating)}
        opened={creating !== false}
        participantId={typeof creating === 'object' ? creating.id : undefined}
        personName={typeof creating === 'object' ? creating.name : undefined}
        onClose={() => setCreating(false)} onCreated={(referral) => setOpenId(referral.id)} />
      <ReferralDialog id={openId} onClose={() => setOpenId(null)} />
    </Paper>
  )
}
