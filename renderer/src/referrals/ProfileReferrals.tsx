import { Alert, Badge, Button, Group, Modal, Stack, Table, Text, Textarea, VisuallyHidden } from '@mantine/core'
import { IconPlus } from '@tabler/icons-react'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { FormAlert } from '../components/FormAlert'
import { useMay } from '../components/ProfileContext'
import { useConsents, useProfile, useRevokeConsent, useStatus } from '../hooks/queries'
import { usePrintSheet } from '../print/usePrintSheet'
import { ConsentFormSheet, type ConsentFormFill } from './ConsentFormSheet'
import { currentLanguage } from '../i18n'
import { formatDate } from '../lib/format'
import type { Consent } from '../lib/types'
import { ConsentDialog } from './ConsentDialog'
import { CONSENT_COLORS, formatDay } from './labels'
import { NewReferralDialog } from './NewReferralDialog'
import { ReferralDialog } from './ReferralDialog'
import { ReferralTable } from './ReferralTable'

/** A person's referrals, in their profile, with a button to make one. */
export function ProfileReferrals({ participantId }: { participantId: number }) {
  const { t } = useTranslation()
  const headingId = useId()
  const canCreate = useMay('referrals.create')
  const [creating, setCreating] = useState(false)
  const [openId, setOpenId] = useState<number | null>(null)
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text fw={600} id={headingId}>
          {t('referrals.title')}
        </Text>
        {canCreate ? (
          <Button variant="default" leftSection={<IconPlus aria-hidden size={16} />} onClick={() => setCreating(true)}>
            {t('referrals.new')}
          </Button>
        ) : null}
      </Group>
      <ReferralTable participantId={participantId} onOpen={setOpenId} labelledBy={headingId} />
      <NewReferralDialog opened={creating} participantId={participantId} onClose={() => setCreating(false)} onCreated={(referral) => setOpenId(referral.id)} />
      <ReferralDialog id={openId} onClose={() => setOpenId(null)} />
    </Stack>
  )
}

/** A person's consents to share: which agency, what, until when, and whether it holds today. */
export function ProfileConsents({ participantId }: { participantId: number }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const headingId = useId()
  const consents = useConsents(participantId)
  const canAdd = useMay('consents.create')
  const [adding, setAdding] = useState(false)
  const [revoking, setRevoking] = useState<Consent | null>(null)
  const centerName = useStatus().data?.centerName ?? ''
  const person = useProfile(participantId).data?.participant
  const consentForm = usePrintSheet<ConsentFormFill>()
  const [refused, setRefused] = useState<Consent | null>(null)
  /** The signed form again (a lost copy), in the screen's language; never for a revoked consent. */
  const printForm = (consent: Consent) => {
    if (consent.state === 'revoked') {
      setRefused(consent)
      return
    }
    setRefused(null)
    consentForm.print({
      language,
      centerName,
      personName: person ? [person.firstName, person.lastName].filter(Boolean).join(' ') || null : null,
      agencyName: consent.agencyName,
      purpose: consent.purpose,
      information: consent.information,
      expiresOn: consent.expiresOn,
    })
  }
  return (
    <Stack gap="sm">
      {consentForm.sheet ? <ConsentFormSheet fill={consentForm.sheet} /> : null}
      <Group justify="space-between">
        <Text fw={600} id={headingId}>
          {t('consents.title')}
        </Text>
        {canAdd ? (
          <Button variant="default" leftSection={<IconPlus aria-hidden size={16} />} onClick={() => setAdding(true)}>
            {t('consents.add')}
          </Button>
        ) : null}
      </Group>
      <FormAlert error={consents.error} />
      {refused ? (
        <Alert color="red" variant="light" role="alert" withCloseButton onClose={() => setRefused(null)} closeButtonLabel={t('common.close')}>
          {t('consentForm.revokedNoForm', { date: formatDate(refused.revokedAt ?? refused.expiresOn, language) })}
        </Alert>
      ) : null}
      {consents.data && consents.data.length === 0 ? (
        <Text c="dimmed">{t('consents.none')}</Text>
      ) : (
        <Table striped verticalSpacing="sm" aria-labelledby={headingId} data-testid="consent-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('consents.recipient')}</Table.Th>
              <Table.Th scope="col">{t('consents.information')}</Table.Th>
              <Table.Th scope="col">{t('consents.period')}</Table.Th>
              <Table.Th scope="col">{t('consents.stateLabel')}</Table.Th>
              {canAdd ? <Table.Th scope="col"><VisuallyHidden>{t('consents.actions')}</VisuallyHidden></Table.Th> : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(consents.data ?? []).map((consent) => (
              <Table.Tr key={consent.id}>
                <Table.Td>
                  <Text size="sm" fw={600}>{consent.agencyName}</Text>
                  <Text size="xs" c="dimmed">{consent.purpose}</Text>
                </Table.Td>
                <Table.Td>{consent.information.map((item) => t(`consents.info.${item}`)).join(', ')}</Table.Td>
                <Table.Td>
                  {formatDay(consent.signedOn, language)} – {formatDay(consent.expiresOn, language)}
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color={CONSENT_COLORS[consent.state]} tt="none">
                    {t(`consents.state.${consent.state}`)}
                  </Badge>
                  {consent.revokedAt ? <Text size="xs" c="dimmed">{formatDate(consent.revokedAt, language)}{consent.revokeNote ? ` · ${consent.revokeNote}` : ''}</Text> : null}
                </Table.Td>
                {canAdd ? (
                  <Table.Td>
                    <Button size="xs" variant="subtle" onClick={() => printForm(consent)} aria-label={t('consentForm.printOne', { agency: consent.agencyName })}>
                      {t('consentForm.printAgain')}
                    </Button>
                    {consent.state === 'active' || consent.state === 'not_yet' ? (
                      <Button size="xs" variant="subtle" color="red" onClick={() => setRevoking(consent)} aria-label={t('consents.revokeOne', { agency: consent.agencyName })}>
                        {t('consents.revoke')}
                      </Button>
                    ) : null}
                  </Table.Td>
                ) : null}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <ConsentDialog opened={adding} participantId={participantId} onClose={() => setAdding(false)} />
      <RevokeDialog consent={revoking} onClose={() => setRevoking(null)} />
    </Stack>
  )
}

function RevokeDialog({ consent, onClose }: { consent: Consent | null; onClose: () => void }) {
  const { t } = useTranslation()
  const revoke = useRevokeConsent()
  const [note, setNote] = useState('')
  return (
    <Modal opened={consent !== null} onClose={onClose} title={t('consents.revokeTitle')} closeButtonProps={{ 'aria-label': t('common.close') }}>
      {consent ? (
        <Stack>
          <Text>{t('consents.revokeIntro', { agency: consent.agencyName })}</Text>
          <Textarea label={t('consents.revokeNote')} value={note} onChange={(event) => setNote(event.currentTarget.value)} maxLength={300} autosize minRows={2} />
          <FormAlert error={revoke.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button color="red" loading={revoke.isPending} onClick={() => revoke.mutate({ id: consent.id, note, confirm: true }, { onSuccess: onClose })}>
              {t('consents.revokeConfirm')}
            </Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  )
}
