import { Alert, Button, Code, CopyButton, Group, Progress, Radio, Stack, Text, TextInput, Title } from '@mantine/core'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { IconAlertTriangle, IconCheck, IconCopy, IconFileZip, IconFolderOpen, IconLock } from '@tabler/icons-react'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { InputOf, ResultOf } from '../../../electron/ipc/contract'
import { invoke } from '../bridge'
import { FormAlert } from '../components/FormAlert'
import { useBackupProgress, useChooseBackupFolder } from '../hooks/queries'
import { useMyCenters } from '../hooks/queries/centers'
import { fieldErrors } from '../lib/errors'
import { formatSize } from './BackupsScreen'

type ExportResult = ResultOf<'export.everything'>

function useExportEverything() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: InputOf<'export.everything'>) => invoke('export.everything', input),
    // The audit log gained a row.
    onSettled: () => client.invalidateQueries({ queryKey: ['audit'] }),
  })
}

/**
 * Admins: everything the center holds as CSV files with a data dictionary in one zip, for moving
 * to another system or for an auditor. Encrypted (AES-256) unless the admin says otherwise; the
 * password is shown here once and kept nowhere. The folder starts empty (not the backup folder):
 * where a file of everyone's records goes should be chosen each time.
 */
export function ExportPanel() {
  const { t } = useTranslation()
  const headingId = useId()
  const [folder, setFolder] = useState('')
  const [encrypted, setEncrypted] = useState('yes')
  // Several centers: the window's center unless the admin chooses every center.
  const [scope, setScope] = useState<'center' | 'organization'>('center')
  const mine = useMyCenters()
  const several = mine.data && mine.data.centers.length > 1 ? mine.data : null
  const [folderError, setFolderError] = useState<string | null>(null)
  const [result, setResult] = useState<ExportResult | null>(null)
  const choose = useChooseBackupFolder()
  const run = useExportEverything()
  const progress = useBackupProgress(run.isPending)
  const done = progress.data?.done ?? 0
  const total = progress.data?.total ?? 0
  const serverFolderError = run.error ? fieldErrors(run.error, ['folder']).folder : undefined
  const start = () => {
    if (!folder.trim()) {
      setFolderError(t('export.folderRequired'))
      return
    }
    setFolderError(null)
    setResult(null)
    run.mutate({ folder: folder.trim(), encrypted: encrypted === 'yes', ...(several ? { scope } : {}) }, { onSuccess: setResult })
  }
  return (
    <Stack gap="sm" component="section" aria-labelledby={headingId}>
      <Title order={2} size="h4" id={headingId}>
        {t('export.title')}
      </Title>
      <Text size="sm">{t('export.intro')}</Text>
      <Alert color="orange" variant="light" icon={<IconAlertTriangle aria-hidden />} title={t('export.warningTitle')}>
        {t('export.warning')}
      </Alert>
      <Group align="flex-end" wrap="nowrap">
        <TextInput
          style={{ flex: 1 }}
          label={t('export.folder')}
          description={t('export.folderHint')}
          spellCheck={false}
          required
          maxLength={1000}
          value={folder}
          error={folderError ?? serverFolderError}
          onChange={(event) => setFolder(event.currentTarget.value)}
        />
        <Button
          variant="default"
          leftSection={<IconFolderOpen aria-hidden size={18} />}
          loading={choose.isPending}
          onClick={() => choose.mutate(undefined, { onSuccess: (chosen) => chosen !== null && setFolder(chosen) })}
        >
          {t('export.chooseFolder')}
        </Button>
      </Group>
      <FormAlert error={choose.error} />
      {several ? (
        <Radio.Group label={t('export.centers')} value={scope} onChange={(value) => setScope(value === 'organization' ? 'organization' : 'center')}>
          <Stack gap="xs" mt="xs">
            <Radio value="center" label={t('export.thisCenter', { name: several.current.name })} description={t('export.thisCenterHint')} />
            <Radio value="organization" label={t('export.allCenters', { n: several.centers.length })} description={t('export.allCentersHint')} />
          </Stack>
        </Radio.Group>
      ) : null}
      <Radio.Group label={t('export.protection')} value={encrypted} onChange={setEncrypted}>
        <Stack gap="xs" mt="xs">
          <Radio value="yes" label={t('export.encrypted')} description={t('export.encryptedHint')} />
          <Radio value="no" label={t('export.plain')} description={t('export.plainHint')} />
        </Stack>
      </Radio.Group>
      <Group>
        <Button leftSection={<IconFileZip aria-hidden size={18} />} loading={run.isPending} onClick={start}>
          {t('export.run')}
        </Button>
      </Group>
      {run.isPending ? (
        <Stack gap={4}>
          <Progress value={total > 0 ? (done / total) * 100 : 2} animated aria-label={t('export.progressLabel')} />
          <Text size="sm" c="dimmed" aria-live="polite">
            {total > 0 ? t('export.progress', { done: done.toLocaleString(), total: total.toLocaleString() }) : t('export.starting')}
          </Text>
        </Stack>
      ) : null}
      {run.error && !serverFolderError ? <FormAlert error={run.error} /> : null}
      {result ? <ExportDone result={result} /> : null}
    </Stack>
  )
}

function ExportDone({ result }: { result: ExportResult }) {
  const { t } = useTranslation()
  const rows = result.files.reduce((sum, file) => sum + file.rows, 0)
  return (
    <Alert color={result.password ? 'green' : 'orange'} variant="light" icon={result.password ? <IconLock aria-hidden /> : <IconAlertTriangle aria-hidden />} title={t('export.doneTitle')} role="status">
      <Stack gap="xs">
        <Text size="sm">{t('export.doneBody', { file: result.file, files: result.files.length, rows: rows.toLocaleString(), size: formatSize(result.bytes) })}</Text>
        {result.password ? (
          <>
            <Text size="sm" fw={600}>
              {t('export.passwordOnce')}
            </Text>
            <Group gap="sm">
              <Code fz="lg" aria-label={t('export.password')} data-testid="export-password">
                {result.password}
              </Code>
              <CopyButton value={result.password}>
                {({ copied, copy }) => (
                  <Button size="xs" variant="default" leftSection={copied ? <IconCheck aria-hidden size={16} /> : <IconCopy aria-hidden size={16} />} onClick={copy}>
                    {copied ? t('export.copied') : t('export.copy')}
                  </Button>
                )}
              </CopyButton>
            </Group>
          </>
        ) : (
          <Text size="sm" fw={600}>
            {t('export.plainDone')}
          </Text>
        )}
      </Stack>
    </Alert>
  )
}
