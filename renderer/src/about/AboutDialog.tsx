import '../all-styles'
import { Alert, Box, Button, Code, Loader, Modal, Stack, Table, Text, Title } from '@mantine/core'
import { IconClipboardCopy, IconFileText, IconFolderOpen, IconInfoCircle } from '@tabler/icons-react'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { TFunction } from 'i18next'
import { invoke } from '../bridge'
import type { AboutInfo } from '../../../electron/ipc/contract'
import { FormAlert } from '../components/FormAlert'
import { currentLanguage } from '../i18n'
import { formatDate, formatTime } from '../lib/format'
import { updateStatusText } from '../updates/status'
import { numberFormat } from '../../../shared/intl'

/** "12 MB", "1.4 GB": in the screen's language. */
function formatBytes(bytes: number | null, language: string): string {
  if (bytes === null) return '—'
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return numberFormat(language, { style: 'unit', unit: units[unit], unitDisplay: 'short', maximumFractionDigits: value < 10 ? 1 : 0 }).format(value)
}

function when(iso: string | null | undefined, t: TFunction): string {
  if (!iso) return t('about.never')
  const language = currentLanguage()
  return t('about.when', { date: formatDate(iso, language), time: formatTime(iso, language) })
}

function Rows({ rows }: { rows: Array<[string, string]> }) {
  return (
    <Table withRowBorders={false} verticalSpacing={4} layout="fixed">
      <Table.Tbody>
        {rows.map(([label, value]) => (
          <Table.Tr key={label}>
            <Table.Th w="40%" fw={500} c="gray.8">
              {label}
            </Table.Th>
            <Table.Td style={{ overflowWrap: 'anywhere' }}>{value}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id}>
      <Title order={3} size="h5" id={id}>
        {title}
      </Title>
      {children}
    </section>
  )
}

function AboutFacts({ info }: { info: AboutInfo }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const { versions: v, database: db, care } = info
  const notElectron = t('about.notElectron')
  const backup = care?.lastBackup && !care.lastBackup.ok ? t('about.lastBackupFailed', { when: when(care.lastBackup.at, t), last: when(care.lastSuccessAt, t) }) : when(care?.lastSuccessAt, t)
  const integrity = care?.integrity ? (care.integrity.ok ? t('about.integrityOk', { when: when(care.integrity.at, t) }) : t('about.integrityProblems', { when: when(care.integrity.at, t), count: care.integrity.problems })) : t('about.never')
  return (
    <Stack gap="md">
      <Section id="about-versions" title={t('about.versions')}>
        <Rows
          rows={[
            ['Porchlight', v.porchlight],
            ['Electron', v.electron ?? notElectron],
            ['Chromium', v.chromium ?? notElectron],
            ['Node', v.node],
            ['SQLite', v.sqlite],
            [t('about.encryption'), v.cipher],
          ]}
        />
      </Section>
      <Section id="about-database" title={t('about.database')}>
        <Rows
          rows={[
            [t('about.file'), db.file],
            [t('about.size'), formatBytes(db.bytes.total, language)],
            [
              t('about.sizeParts'),
              t('about.sizePartsOf', { main: formatBytes(db.bytes.main, language), wal: formatBytes(db.bytes.wal ?? 0, language), shm: formatBytes(db.bytes.shm ?? 0, language) }),
            ],
            [t('about.state'), t(`about.states.${db.state}`) + (db.refusedCode ? ` (${db.refusedCode})` : '')],
            [t('about.schema'), t('about.schemaOf', { version: db.schemaVersion ?? '—', known: db.knownSchemaVersion })],
            [t('about.freeBeside'), formatBytes(db.freeBytes, language)],
          ]}
        />
        <Text size="xs" c="gray.8" mt={4}>
          {t('about.sizeExplained')}
        </Text>
      </Section>
      <Section id="about-care" title={t('about.care')}>
        {care ? (
          <Rows
            rows={[
              [t('about.backupFolder'), care.backupFolder ?? t('about.noBackupFolder')],
              [t('about.freeInBackups'), care.backupFolder ? formatBytes(care.backupFolderFreeBytes, language) : '—'],
              [t('about.lastBackup'), backup],
              [t('about.lastIntegrity'), integrity],
            ]}
          />
        ) : (
          <Text size="sm">{t('about.signInForCare')}</Text>
        )}
      </Section>
      <Section id="about-updates" title={t('updates.title')}>
        <Text size="sm" data-testid="about-updates">
          {updateStatusText(info.updates, t)}
        </Text>
      </Section>
    </Stack>
  )
}

function Diagnostics() {
  const { t } = useTranslation()
  const [copied, setCopied] = useState<boolean | null>(null)
  const diagnostics = useMutation({
    mutationFn: () => invoke('about.diagnostics', {}),
    onSuccess: async ({ text }) => {
      // Some windows may not reach the clipboard: the text stays on screen to copy by hand.
      const written = await navigator.clipboard?.writeText(text).then(
        () => true,
        () => false,
      )
      setCopied(written === true)
    },
  })
  return (
    <Stack gap="xs">
      <Button w="fit-content" leftSection={<IconClipboardCopy aria-hidden size={18} />} loading={diagnostics.isPending} onClick={() => diagnostics.mutate()}>
        {t('about.copyDiagnostics')}
      </Button>
      <FormAlert error={diagnostics.error} />
      {diagnostics.data ? (
        <>
          <Text size="sm" role="status">
            {copied ? t('about.copied') : t('about.copyByHand')}
          </Text>
          <Code block aria-label={t('about.diagnosticsText')} style={{ whiteSpace: 'pre-wrap' }}>
            {diagnostics.data.text}
          </Code>
        </>
      ) : null}
    </Stack>
  )
}

function LogFolder({ log }: { log: NonNullable<AboutInfo['log']> }) {
  const { t } = useTranslation()
  const open = useMutation({ mutationFn: () => invoke('about.openLogFolder', {}) })
  return (
    <Stack gap="xs">
      <Text size="sm">{log.writing ? t('about.logFolderIs', { folder: log.folder }) : t('about.logNotWritten', { problem: log.problem ?? '' })}</Text>
      {log.writing ? (
        <Button w="fit-content" variant="default" leftSection={<IconFolderOpen aria-hidden size={18} />} loading={open.isPending} onClick={() => open.mutate()}>
          {t('about.openLogFolder')}
        </Button>
      ) : null}
      <FormAlert error={open.error} />
    </Stack>
  )
}

function Notices() {
  const { t } = useTranslation()
  const [shown, setShown] = useState(false)
  const notices = useQuery({ queryKey: ['about', 'notices'], queryFn: () => invoke('about.notices', {}), enabled: shown, staleTime: Infinity })
  if (!shown) {
    return (
      <Button w="fit-content" variant="default" leftSection={<IconFileText aria-hidden size={18} />} onClick={() => setShown(true)}>
        {t('about.showNotices')}
      </Button>
    )
  }
  const text = notices.data?.text ?? null
  return (
    <Stack gap="xs">
      <Text size="sm">{t('about.license')}</Text>
      {notices.isPending ? (
        <Loader size="sm" aria-label={t('about.loading')} />
      ) : text === null ? (
        <Text size="sm">{t('about.noNotices')}</Text>
      ) : (
        // A plain scrolling region: reachable with Tab and scrolled with the arrow keys.
        <Box role="region" aria-label={t('about.notices')} tabIndex={0} h={240} style={{ overflow: 'auto' }}>
          <Code block style={{ whiteSpace: 'pre-wrap' }}>
            {text}
          </Code>
        </Box>
      )}
    </Stack>
  )
}

/** Help → About: versions, the database's facts, diagnostics for IT, the log folder (admins), notices. */
export function AboutDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation()
  const info = useQuery({ queryKey: ['about', 'info'], queryFn: () => invoke('about.info', {}), enabled: opened })
  return (
    <Modal opened={opened} onClose={onClose} title={t('about.title')} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
      <Stack gap="lg">
        {info.isPending ? <Loader size="sm" aria-label={t('about.loading')} /> : null}
        {info.error ? <FormAlert error={info.error} /> : null}
        {info.data ? <AboutFacts info={info.data} /> : null}
        <Diagnostics />
        {info.data?.log ? <LogFolder log={info.data.log} /> : null}
        <Notices />
        {info.data && info.data.database.state !== 'open' ? (
          <Alert color="blue" variant="light" icon={<IconInfoCircle aria-hidden />}>
            {t('about.notOpenHint')}
          </Alert>
        ) : null}
      </Stack>
    </Modal>
  )
}
