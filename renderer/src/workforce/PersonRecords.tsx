import { Alert, Badge, Button, Group, Paper, Progress, SimpleGrid, Skeleton, Stack, Table, Text, Title } from '@mantine/core'
import { IconCertificate, IconCheck, IconFileDownload, IconPlus, IconRefresh, IconUsersGroup } from '@tabler/icons-react'
import { useId, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { Credential, PeriodProgress, WorkforceDocument, WorkforcePerson } from '../../../electron/ipc/contract'
import { FormAlert } from '../components/FormAlert'
import { useMay } from '../components/ProfileContext'
import { saveExport } from '../dashboard/files'
import { currentLanguage } from '../i18n'
import { formatDay } from '../referrals/labels'
import { hours, STATUS_COLOR } from './format'
import { useConfirmTraining, useOpenDocument, useWorkforcePerson } from '../hooks/queries'
import { CredentialDialog, SupervisionDialog, TrainingDialog } from './WorkforceDialogs'
import { dateTimeFormat } from '../../../shared/intl'

function Section({ title, action, children }: { title: string; action?: ReactNode; children: ReactNode }) {
  const id = useId()
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={id}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4" id={id}>
            {title}
          </Title>
          {action}
        </Group>
        {children}
      </Stack>
    </Paper>
  )
}

/** Opens an attached copy: main audits the look, then the file is saved for the reader's own viewer. */
function DocumentButton({ document, what }: { document: WorkforceDocument | null; what: string }) {
  const { t } = useTranslation()
  const open = useOpenDocument()
  if (!document) return <Text c="dimmed">{t('workforce.noCopy')}</Text>
  return (
    <Stack gap={2}>
      <Button
        size="xs"
        h={32}
        variant="default"
        leftSection={<IconFileDownload aria-hidden size={16} />}
        aria-label={t('workforce.openCopyOf', { what })}
        loading={open.isPending}
        onClick={() => open.mutate(document.id, { onSuccess: (file) => saveExport({ fileName: file.fileName, mimeType: file.mime, encoding: 'base64', data: file.base64 }) })}
      >
        {t('workforce.openCopy')}
      </Button>
      <FormAlert error={open.error} />
    </Stack>
  )
}

function StatusBadge({ credential }: { credential: Credential }) {
  const { t } = useTranslation()
  const label =
    credential.status === 'expiring' && credential.daysLeft !== null
      ? t('workforce.expiresIn', { count: credential.daysLeft })
      : t(`workforce.statuses.${credential.status}`)
  return (
    <Badge color={STATUS_COLOR[credential.status]} variant="light" tt="none" radius="sm" fw={600} styles={{ root: { height: 'auto' }, label: { whiteSpace: 'normal' } }}>
      {label}
    </Badge>
  )
}

function ProgressCard({ progress }: { progress: PeriodProgress }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const h = (value: number) => hours(value, language)
  const share = progress.requiredHours > 0 ? Math.min(100, (progress.doneHours / progress.requiredHours) * 100) : 100
  return (
    <Paper withBorder radius="md" p="sm">
      <Stack gap={6}>
        <Text fw={700}>{language === 'es' ? progress.kindNameEs : progress.kindNameEn}</Text>
        <Text size="sm">{t('workforce.period', { from: formatDay(progress.from, language), to: formatDay(progress.to, language) })}</Text>
        <Progress value={share} color={progress.missingHours > 0 ? 'orange' : 'teal'} aria-label={t('workforce.doneOf', { done: h(progress.doneHours), required: h(progress.requiredHours) })} />
        <Text size="sm" data-testid="progress-done">
          {t('workforce.doneOf', { done: h(progress.doneHours), required: h(progress.requiredHours) })}
        </Text>
        <Text size="sm" fw={600} data-testid="progress-missing">
          {progress.missingHours > 0 ? t('workforce.missing', { hours: h(progress.missingHours) }) : t('workforce.complete')}
        </Text>
        {progress.categories.map((c) => (
          <Text size="sm" key={c.key}>
            {t('workforce.categoryLine', { name: language === 'es' ? c.nameEs : c.nameEn, done: h(c.doneHours), required: h(c.requiredHours) })}
            {c.missingHours > 0 ? ` — ${t('workforce.missing', { hours: h(c.missingHours) })}` : ''}
          </Text>
        ))}
        {progress.pendingHours > 0 ? <Text size="sm">{t('workforce.pendingNote', { hours: h(progress.pendingHours) })}</Text> : null}
        <Text size="sm">{t('workforce.supervisionInPeriod', { hours: h(progress.supervisionHours) })}</Text>
      </Stack>
    </Paper>
  )
}

/** One staff member's credentials, training toward renewal, training and supervision logs, and work by month. */
export function PersonRecords({ staffId }: { staffId: number }) {
  const person = useWorkforcePerson(staffId)
  if (person.isPending) return <Skeleton h={320} />
  if (person.isError) return <FormAlert error={person.error} />
  return <Records person={person.data} />
}

function Records({ person }: { person: WorkforcePerson }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const day = (value: string) => formatDay(value, language)
  const h = (value: number) => hours(value, language)
  const canCredential = useMay('workforce.saveCredential')
  const canConfirm = useMay('workforce.confirmTraining')
  const canSupervise = useMay('workforce.addSupervision')
  const confirm = useConfirmTraining()
  const [credentialDialog, setCredentialDialog] = useState<{ renewing: Credential | null } | null>(null)
  const [trainingOpen, setTrainingOpen] = useState(false)
  const [supervisionOpen, setSupervisionOpen] = useState(false)
  const kindName = (c: Credential) => (language === 'es' ? c.kindNameEs : c.kindNameEn)
  return (
    <Stack gap="md">
      <Section title={t('workforce.progressTitle')}>
        {person.progress.length === 0 ? (
          <Text c="dimmed">{t('workforce.noProgress')}</Text>
        ) : (
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            {person.progress.map((p) => (
              <ProgressCard key={p.credentialId} progress={p} />
            ))}
          </SimpleGrid>
        )}
      </Section>

      <Section
        title={t('workforce.credentialsTitle')}
        action={
          canCredential ? (
            <Button leftSection={<IconCertificate aria-hidden size={18} />} onClick={() => setCredentialDialog({ renewing: null })}>
              {t('workforce.addCredential')}
            </Button>
          ) : null
        }
      >
        {person.credentials.length === 0 ? (
          <Text c="dimmed">{t('workforce.noCredentials')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="xs" aria-label={t('workforce.credentialsTitle')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('workforce.kind')}</Table.Th>
                  <Table.Th scope="col">{t('workforce.issuer')}</Table.Th>
                  <Table.Th scope="col">{t('workforce.number')}</Table.Th>
                  <Table.Th scope="col">{t('workforce.issuedOn')}</Table.Th>
                  <Table.Th scope="col">{t('workforce.expiresOn')}</Table.Th>
                  <Table.Th scope="col">{t('workforce.status')}</Table.Th>
                  <Table.Th scope="col">{t('workforce.copy')}</Table.Th>
                  {canCredential ? <Table.Th scope="col"><span className="pl-visually-hidden">{t('today.actions')}</span></Table.Th> : null}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {person.credentials.map((c) => (
                  <Table.Tr key={c.id} c={c.status === 'renewed' ? 'dimmed' : undefined}>
                    <Table.Th scope="row" fw={600}>
                      {kindName(c)}
                    </Table.Th>
                    <Table.Td>{c.issuer}</Table.Td>
                    <Table.Td>{c.number ?? '—'}</Table.Td>
                    <Table.Td>{day(c.issuedOn)}</Table.Td>
                    <Table.Td>{c.expiresOn ? day(c.expiresOn) : t('workforce.noExpiry')}</Table.Td>
                    <Table.Td>
                      <StatusBadge credential={c} />
                    </Table.Td>
                    <Table.Td>
                      <DocumentButton document={c.document} what={kindName(c)} />
                    </Table.Td>
                    {canCredential ? (
                      <Table.Td>
                        {c.status !== 'renewed' ? (
                          <Button size="xs" h={32} variant="default" leftSection={<IconRefresh aria-hidden size={16} />} aria-label={t('workforce.renewOf', { what: kindName(c) })} onClick={() => setCredentialDialog({ renewing: c })}>
                            {t('workforce.renew')}
                          </Button>
                        ) : null}
                      </Table.Td>
                    ) : null}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Section>

      <Section
        title={t('workforce.trainingTitleLog')}
        action={
          <Button leftSection={<IconPlus aria-hidden size={18} />} onClick={() => setTrainingOpen(true)}>
            {t('workforce.addTraining')}
          </Button>
        }
      >
        <FormAlert error={confirm.error} />
        {person.training.length === 0 ? (
          <Text c="dimmed">{t('workforce.noTraining')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="xs" aria-label={t('workforce.trainingTitleLog')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('workforce.date')}</Table.Th>
                  <Table.Th scope="col">{t('workforce.trainingTitle')}</Table.Th>
                  <Table.Th scope="col">{t('workforce.provider')}</Table.Th>
                  <Table.Th scope="col">{t('workforce.category')}</Table.Th>
                  <Table.Th scope="col" ta="right">
                    {t('workforce.hours')}
                  </Table.Th>
                  <Table.Th scope="col">{t('workforce.proof')}</Table.Th>
                  <Table.Th scope="col">{t('workforce.status')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {person.training.map((entry) => (
                  <Table.Tr key={entry.id}>
                    <Table.Td>{day(entry.takenOn)}</Table.Td>
                    <Table.Th scope="row" fw={600}>
                      {entry.title}
                    </Table.Th>
                    <Table.Td>{entry.provider ?? '—'}</Table.Td>
                    <Table.Td>{language === 'es' ? entry.categoryNameEs : entry.categoryNameEn}</Table.Td>
                    <Table.Td ta="right">{h(entry.hours)}</Table.Td>
                    <Table.Td>
                      <DocumentButton document={entry.document} what={entry.title} />
                    </Table.Td>
                    <Table.Td>
                      {entry.confirmed ? (
                        <Badge color="teal" variant="light" tt="none" radius="sm" fw={600}>
                          {t('workforce.confirmed')}
                        </Badge>
                      ) : canConfirm ? (
                        <Button
                          size="xs"
                          h={32}
                          leftSection={<IconCheck aria-hidden size={16} />}
                          aria-label={t('workforce.confirmOf', { what: entry.title })}
                          loading={confirm.isPending && confirm.variables?.id === entry.id}
                          onClick={() => confirm.mutate({ id: entry.id })}
                        >
                          {t('workforce.confirm')}
                        </Button>
                      ) : (
                        <Badge color="yellow" variant="light" tt="none" radius="sm" fw={600}>
                          {t('workforce.pending')}
                        </Badge>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Section>

      <Section
        title={t('workforce.supervisionTitle')}
        action={
          canSupervise ? (
            <Button leftSection={<IconUsersGroup aria-hidden size={18} />} onClick={() => setSupervisionOpen(true)}>
              {t('workforce.addSupervision')}
            </Button>
          ) : null
        }
      >
        {person.supervision.length === 0 ? (
          <Text c="dimmed">{t('workforce.noSupervision')}</Text>
        ) : (
          <Table verticalSpacing="xs" aria-label={t('workforce.supervisionTitle')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('workforce.date')}</Table.Th>
                <Table.Th scope="col">{t('workforce.supervisor')}</Table.Th>
                <Table.Th scope="col">{t('workforce.format')}</Table.Th>
                <Table.Th scope="col" ta="right">
                  {t('workforce.hours')}
                </Table.Th>
                <Table.Th scope="col">{t('workforce.note')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {person.supervision.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>{day(s.heldOn)}</Table.Td>
                  <Table.Td>{s.supervisorName}</Table.Td>
                  <Table.Td>{t(`workforce.formats.${s.format}`)}</Table.Td>
                  <Table.Td ta="right">{h(s.hours)}</Table.Td>
                  <Table.Td>{s.note ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Section>

      <Section title={t('workforce.monthsTitle')}>
        <Text size="sm" c="dimmed">
          {t('workforce.monthsHint')}
        </Text>
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="xs" aria-label={t('workforce.monthsTitle')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('workforce.month')}</Table.Th>
                <Table.Th scope="col" ta="right">{t('workforce.groupHours')}</Table.Th>
                <Table.Th scope="col" ta="right">{t('workforce.deskHours')}</Table.Th>
                <Table.Th scope="col" ta="right">{t('workforce.coachingHours')}</Table.Th>
                <Table.Th scope="col" ta="right">{t('workforce.supervisionHours')}</Table.Th>
                <Table.Th scope="col" ta="right">{t('workforce.trainingHours')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {person.months.map((m) => (
                <Table.Tr key={m.month}>
                  <Table.Th scope="row" fw={500}>
                    {dateTimeFormat(language, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(`${m.month}-01T00:00:00Z`))}
                  </Table.Th>
                  <Table.Td ta="right">{h(m.groupHours)}</Table.Td>
                  <Table.Td ta="right">{h(m.deskHours)}</Table.Td>
                  <Table.Td ta="right">{h(m.coachingHours)}</Table.Td>
                  <Table.Td ta="right">{h(m.supervisionHours)}</Table.Td>
                  <Table.Td ta="right">{h(m.trainingHours)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Section>

      {person.credentials.length === 0 && person.training.length === 0 ? <Alert variant="light">{t('workforce.emptyHint')}</Alert> : null}
      <CredentialDialog staffId={person.staff.id} renewing={credentialDialog?.renewing ?? null} opened={credentialDialog !== null} onClose={() => setCredentialDialog(null)} />
      <TrainingDialog staffId={person.staff.id} opened={trainingOpen} onClose={() => setTrainingOpen(false)} />
      <SupervisionDialog staffId={person.staff.id} opened={supervisionOpen} onClose={() => setSupervisionOpen(false)} />
    </Stack>
  )
}
