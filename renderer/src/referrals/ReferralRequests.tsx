import { Alert, Button, Group, List, Text } from '@mantine/core'
import { IconArrowFork, IconHandStop } from '@tabler/icons-react'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { invoke } from '../bridge'
import { useMay } from '../components/ProfileContext'
import { currentLanguage } from '../i18n'
import { shortName } from '../lib/format'
import { useLivePoll } from '../hooks/live'
import { formatDay } from './labels'

export const REQUESTS_KEY = ['referrals', 'requests'] as const

/**
 * People who ticked "Referral" at the desk and have no referral yet: the top of the peer
 * specialists' work list, each with a button that starts one for them.
 */
export function ReferralRequests({ onStart }: { onStart: (person: { id: number; name: string }) => void }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const canCreate = useMay('referrals.create')
  const requests = useQuery({ queryKey: REQUESTS_KEY, queryFn: () => invoke('referrals.requests', {}), refetchInterval: useLivePoll() })
  if (!requests.data || requests.data.length === 0) return null
  return (
    <Alert color="yellow" variant="light" mb="md" icon={<IconHandStop aria-hidden />} title={t('referrals.requestsTitle', { count: requests.data.length })}>
      <Text size="sm" mb="xs">
        {t('referrals.requestsIntro')}
      </Text>
      <List spacing="xs" listStyleType="none" aria-label={t('referrals.requestsTitle', { count: requests.data.length })}>
        {requests.data.map((request) => (
          <List.Item key={request.visitId}>
            <Group gap="sm" wrap="nowrap">
              <Text fw={600}>{shortName(request.person)}</Text>
              <Text size="sm" c="dimmed">
                {t('referrals.requestedOn', { date: formatDay(request.visitDate, language) })}
              </Text>
              {canCreate ? (
                <Button
                  size="xs"
                  variant="default"
                  leftSection={<IconArrowFork aria-hidden size={16} />}
                  onClick={() => onStart({ id: request.person.id, name: shortName(request.person) })}
                  aria-label={t('referrals.startFor', { name: shortName(request.person) })}
                >
                  {t('referrals.start')}
                </Button>
              ) : null}
            </Group>
          </List.Item>
        ))}
      </List>
    </Alert>
  )
}
