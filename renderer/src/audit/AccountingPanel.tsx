import { Alert, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { IconFileSpreadsheet, IconPrinter, IconReceipt } from '@tabler/icons-react'
import { useMutation } from '@tanstack/react-query'
import type { TFunction } from 'i18next'
import { useId, useState } from 'react'
import { createPortal } from 'react-dom'
import { useTranslation } from 'react-i18next'
import { invoke } from '../bridge'
import { FormAlert } from '../components/FormAlert'
import { saveBlob, tableCsv } from '../dashboard/files'
import { useStatus } from '../hooks/queries'
import { currentLanguage, type Language } from '../i18n'
import { formatDate, formatTime, fullName } from '../lib/format'
import type { Accounting, Disclosure } from '../lib/types'
import { actionText } from './wording'
import { dateTimeFormat } from '../../../shared/intl'

/** A center-local calendar day (YYYY-MM-DD) as words, the same day in every time zone. */
function formatDay(date: string, language: Language): string {
  return dateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`))
}

type Words = (key: string, values?: Record<string, unknown>) => string

function how(t: TFunction, disclosure: Disclosure): string {
  return disclosure.kind === 'referral' ? t('audit.accounting.kindReferral') : actionText(t, disclosure.kind)
}

function information(t: TFunction, disclosure: Disclosure): string {
  return disclosure.information.map((kind) => (t as unknown as Words)(`consents.info.${kind}`)).join(', ')
}

function recordCode(accounting: Accounting, disclosure: Disclosure): string {
  return accounting.records.find((record) => record.id === disclosure.participantId)?.code ?? String(disclosure.participantId)
}

function revoked(t: TFunction, disclosure: Disclosure, language: Language): string {
  return disclosure.consentRevokedAt ? t('audit.accounting.revokedLater', { date: formatDate(disclosure.consentRevokedAt, language) }) : ''
}

/** The accounting's rows as the screen, the paper and the CSV all say them. */
function lines(t: TFunction, accounting: Accounting, language: Language) {
  return accounting.disclosures.map((disclosure) => ({
    key: `${disclosure.kind}-${disclosure.referralId ?? ''}-${disclosure.at}`,
    when: `${formatDate(disclosure.at, language)} ${formatTime(disclosure.at, language)}`,
    recipient: disclosure.recipient,
    information: information(t, disclosure),
    purpose: disclosure.purpose ?? '',
    how: [how(t, disclosure), revoked(t, disclosure, language)].filter(Boolean).join('; '),
    by: disclosure.staffName ?? '',
    record: recordCode(accounting, disclosure),
  }))
}

function DisclosureTable({ accounting, caption }: { accounting: Accounting; caption: string }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  return (
    <Table striped withTableBorder verticalSpacing="xs" fz="sm" aria-label={caption}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{t('audit.accounting.when')}</Table.Th>
          <Table.Th scope="col">{t('audit.accounting.recipient')}</Table.Th>
          <Table.Th scope="col">{t('audit.accounting.information')}</Table.Th>
          <Table.Th scope="col">{t('audit.accounting.purpose')}</Table.Th>
          <Table.Th scope="col">{t('audit.accounting.how')}</Table.Th>
          <Table.Th scope="col">{t('audit.accounting.by')}</Table.Th>
          <Table.Th scope="col">{t('audit.accounting.record')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {lines(t, accounting, language).map((line) => (
          <Table.Tr key={line.key}>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>{line.when}</Table.Td>
            <Table.Td>{line.recipient}</Table.Td>
            <Table.Td>{line.information}</Table.Td>
            <Table.Td>{line.purpose}</Table.Td>
            <Table.Td>{line.how}</Table.Td>
            <Table.Td>{line.by}</Table.Td>
            <Table.Td ff="monospace">{line.record}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}

/** What the accounting covers, in one paragraph each: the person, their records, the period. */
function Summary({ accounting }: { accounting: Accounting }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  return (
    <>
      <Text fw={600}>{[fullName(accounting.person), accounting.person.code].filter(Boolean).join(' · ')}</Text>
      <Text size="sm">{t('audit.accounting.period', { from: formatDay(accounting.from, language), to: formatDay(accounting.to, language) })}</Text>
      <Text size="sm">{t('audit.accounting.records', { codes: accounting.records.map((record) => record.code).join(', ') })}</Text>
      {accounting.askedFor !== null ? <Text size="sm">{t('audit.accounting.askedFor', { id: accounting.askedFor })}</Text> : null}
    </>
  )
}

/** The paper copy for the person who asked: shown only by the print stylesheet, while an accounting is on screen. */
function PrintSheet({ accounting }: { accounting: Accounting }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const status = useStatus().data
  return createPortal(
    <div className="pl-print-sheet pl-accounting-sheet" data-testid="accounting-sheet" aria-hidden>
      <h1>{t('audit.accounting.sheetTitle', { name: fullName(accounting.person) || accounting.person.code })}</h1>
      <Summary accounting={accounting} />
      {accounting.disclosures.length === 0 ? (
        <p>{t('audit.accounting.none', { from: formatDay(accounting.from, language), to: formatDay(accounting.to, language) })}</p>
      ) : (
        <DisclosureTable accounting={accounting} caption={t('audit.accounting.table')} />
      )}
      <p>{t('audit.accounting.sheetNote')}</p>
      <p>
        {t('audit.accounting.produced', {
          date: `${formatDate(accounting.producedAt, language)} ${formatTime(accounting.producedAt, language)}`,
          staff: status?.staff?.displayName ?? '',
          center: status?.centerName ?? '',
        })}
      </p>
    </div>,
    document.body,
  )
}

function saveCsv(t: TFunction, accounting: Accounting, language: Language): void {
  const header = ['when', 'recipient', 'information', 'purpose', 'how', 'by', 'record'].map((key) => (t as unknown as Words)(`audit.accounting.${key}`))
  const rows = lines(t, accounting, language).map((line) => [line.when, line.recipient, line.information, line.purpose, line.how, line.by, line.record])
  const name = t('audit.accounting.fileName', { code: accounting.person.code, from: accounting.from, to: accounting.to })
  saveBlob(name, new Blob([tableCsv(header, rows)], { type: 'text/csv;charset=utf-8' }))
}

/**
 * One person's accounting of disclosures, for the period asked (blank: the six years up to
 * today, as main counts them on its own clock). Producing it is a look at the person's record, so
 * main logs it; it is produced on request, never on its own.
 */
export function AccountingPanel({ participantId }: { participantId: number }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const headingId = useId()
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  // Both dates typed and the wrong way round: said here, in the screen's language, before main is asked.
  const backwards = from !== '' && to !== '' && from > to
  const produce = useMutation({
    mutationFn: () => invoke('audit.accounting', { participantId, ...(from ? { from } : {}), ...(to ? { to } : {}) }),
  })
  // The screen keys this panel by person, so an accounting on screen is always this person's.
  const shown = produce.data ?? null
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={headingId}>
      <Stack gap="sm">
        <Stack gap={2}>
          <Title order={2} size="h4" id={headingId}>
            {t('audit.accounting.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('audit.accounting.intro')}
          </Text>
        </Stack>
        <form
          onSubmit={(event) => {
            event.preventDefault()
            if (backwards) produce.reset()
            else produce.mutate()
          }}
        >
          <Group align="flex-end" gap="sm">
            <TextInput type="date" label={t('audit.accounting.from')} description={t('audit.accounting.periodHint')} value={from} onChange={(event) => setFrom(event.currentTarget.value)} />
            <TextInput
              type="date"
              label={t('audit.accounting.to')}
              description={t('audit.accounting.periodHint')}
              value={to}
              onChange={(event) => setTo(event.currentTarget.value)}
              error={backwards ? t('audit.accounting.backwards') : undefined}
            />
            <Button type="submit" leftSection={<IconReceipt aria-hidden size={16} />} loading={produce.isPending}>
              {t('audit.accounting.produce')}
            </Button>
          </Group>
        </form>
        {produce.isError ? <FormAlert error={produce.error} /> : null}
        {shown ? (
          <Stack gap="xs" data-testid="accounting">
            <Summary accounting={shown} />
            {shown.disclosures.length === 0 ? (
              <Alert color="gray" variant="light" role="status">
                {t('audit.accounting.none', { from: formatDay(shown.from, language), to: formatDay(shown.to, language) })}
              </Alert>
            ) : (
              <DisclosureTable accounting={shown} caption={t('audit.accounting.table')} />
            )}
            <Group gap="sm">
              <Button variant="default" leftSection={<IconPrinter aria-hidden size={16} />} onClick={() => window.print()}>
                {t('audit.accounting.print')}
              </Button>
              <Button variant="default" leftSection={<IconFileSpreadsheet aria-hidden size={16} />} onClick={() => saveCsv(t, shown, language)}>
                {t('audit.accounting.csv')}
              </Button>
            </Group>
            <PrintSheet accounting={shown} />
          </Stack>
        ) : null}
      </Stack>
    </Paper>
  )
}
