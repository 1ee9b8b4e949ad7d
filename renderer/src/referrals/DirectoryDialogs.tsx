import { Alert, Badge, Button, Checkbox, Group, List, Modal, ScrollArea, Stack, Table, Text, TextInput } from '@mantine/core'
import { IconAlertCircle, IconCircleCheck, IconFolderOpen } from '@tabler/icons-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { AgencyChange, AgencyChangeKind, DirectoryImportResult, DirectoryPreview, HsdsProblem } from '../../../electron/ipc/contract/directory'
import type { MessageRef } from '../../../shared/messages'
import { formatMessage } from '../i18n/messages'
import { FormAlert } from '../components/FormAlert'
import { useChooseDirectoryFolder, useExportDirectory, useImportDirectory, usePreviewDirectory } from '../hooks/queries'
import { currentLanguage } from '../i18n'

const KINDS: AgencyChangeKind[] = ['new', 'changed', 'unchanged', 'removed', 'deactivated']
const KIND_COLORS: Record<AgencyChangeKind, string> = { new: 'teal', changed: 'blue', unchanged: 'gray', removed: 'red', deactivated: 'orange' }
/** The agency list shows what an import does; unchanged rows would bury it. */
const SHOWN_CHANGES = 200

/** A folder typed or picked with the OS dialog; the files themselves are read in main. */
function FolderField({ value, onChange, label, error }: { value: string; onChange: (folder: string) => void; label: string; error?: string | null }) {
  const { t } = useTranslation()
  const choose = useChooseDirectoryFolder()
  return (
    <Stack gap={4}>
      <Group align="flex-end" wrap="nowrap" preventGrowOverflow={false}>
        <TextInput label={label} description={t('directory.folderHint')} value={value} onChange={(event) => onChange(event.currentTarget.value)} error={error} style={{ flex: 1 }} data-autofocus />
        <Button variant="default" leftSection={<IconFolderOpen aria-hidden size={18} />} loading={choose.isPending} onClick={() => choose.mutate(undefined, { onSuccess: (folder) => folder !== null && onChange(folder) })}>
          {t('directory.chooseFolder')}
        </Button>
      </Group>
      <FormAlert error={choose.error} />
    </Stack>
  )
}

function Counts({ counts }: { counts: Record<AgencyChangeKind, number> }) {
  const { t } = useTranslation()
  return (
    <Table withTableBorder w="fit-content" aria-label={t('directory.countsLabel')}>
      <Table.Tbody>
        {KINDS.map((kind) => (
          <Table.Tr key={kind}>
            <Table.Th scope="row">{t(`directory.change.${kind}`)}</Table.Th>
            <Table.Td ta="right" data-testid={`count-${kind}`}>
              {counts[kind]}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}

function Messages({ items, total, color, title, testId }: { items: MessageRef[]; total: number; color: string; title: string; testId: string }) {
  const language = currentLanguage()
  const { t } = useTranslation()
  if (items.length === 0) return null
  return (
    <Alert color={color} variant="light" title={title} icon={color === 'red' ? <IconAlertCircle aria-hidden /> : undefined} data-testid={testId}>
      <ScrollArea.Autosize mah={220} type="auto" viewportProps={{ tabIndex: 0, role: 'region', 'aria-label': title }}>
        <List size="sm" spacing={2}>
          {items.map((item, index) => (
            <List.Item key={index}>{formatMessage(language, item.key, item.params)}</List.Item>
          ))}
        </List>
      </ScrollArea.Autosize>
      {total > items.length ? <Text size="sm" mt={4}>{t('directory.andMore', { count: total - items.length })}</Text> : null}
    </Alert>
  )
}

function ChangeTable({ changes }: { changes: AgencyChange[] }) {
  const { t } = useTranslation()
  const shown = [...changes.filter((change) => change.change !== 'unchanged'), ...changes.filter((change) => change.change === 'unchanged')].slice(0, SHOWN_CHANGES)
  if (shown.length === 0) return null
  return (
    <ScrollArea.Autosize mah={260} type="auto" viewportProps={{ tabIndex: 0, role: 'region', 'aria-label': t('directory.agenciesLabel') }}>
      <Table striped aria-label={t('directory.agenciesLabel')} data-testid="directory-changes">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('agencies.name')}</Table.Th>
            <Table.Th>{t('directory.what')}</Table.Th>
            <Table.Th>{t('directory.fields')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {shown.map((change) => (
            <Table.Tr key={change.hsdsId}>
              <Table.Td>{change.name}</Table.Td>
              <Table.Td>
                <Badge color={KIND_COLORS[change.change]} variant="light" tt="none">
                  {t(`directory.change.${change.change}`)}
                </Badge>
              </Table.Td>
              <Table.Td>{change.fields.map((field) => t(`agencies.${field}`, { defaultValue: field })).join(', ')}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea.Autosize>
  )
}

const problemsOf = (problems: HsdsProblem[]) => problems.map((problem) => problem.message)

function PreviewStep({ preview, onBack, onImported }: { preview: DirectoryPreview; onBack: () => void; onImported: (result: DirectoryImportResult) => void }) {
  const { t } = useTranslation()
  const [skip, setSkip] = useState(false)
  const run = useImportDirectory()
  const blocked = preview.fatal || (preview.badRows > 0 && !skip)
  return (
    <Stack>
      <Text size="sm">{t('directory.previewIntro', { folder: preview.folder, files: preview.files.length })}</Text>
      <Counts counts={preview.counts} />
      <Text size="sm" c="dimmed">
        {t('directory.records', { ...preview.records })}
      </Text>
      <Messages items={problemsOf(preview.problems)} total={preview.problemCount} color="red" title={preview.fatal ? t('directory.fatalTitle') : t('directory.problemsTitle', { count: preview.badRows })} testId="directory-problems" />
      <ChangeTable changes={preview.agencies} />
      <Messages items={preview.notes} total={preview.noteCount} color="gray" title={t('directory.notesTitle')} testId="directory-notes" />
      {preview.badRows > 0 && !preview.fatal ? (
        <Checkbox label={t('directory.skipBadRows', { count: preview.badRows })} description={t('directory.skipHint')} checked={skip} onChange={(event) => setSkip(event.currentTarget.checked)} />
      ) : null}
      <FormAlert error={run.error} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onBack}>
          {t('directory.back')}
        </Button>
        <Button disabled={blocked} loading={run.isPending} onClick={() => run.mutate({ folder: preview.folder, skipBadRows: skip }, { onSuccess: onImported })}>
          {t('directory.importNow')}
        </Button>
      </Group>
    </Stack>
  )
}

/** Import the directory from an HSDS folder: choose, preview (nothing written), import, report. */
export function DirectoryImportDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation()
  const [folder, setFolder] = useState('')
  const [preview, setPreview] = useState<DirectoryPreview | null>(null)
  const [result, setResult] = useState<DirectoryImportResult | null>(null)
  const read = usePreviewDirectory()
  const close = () => {
    setPreview(null)
    setResult(null)
    read.reset()
    onClose()
  }
  return (
    <Modal opened={opened} onClose={close} title={t('directory.importTitle')} size="xl" closeButtonProps={{ 'aria-label': t('common.close') }}>
      {result ? (
        <Stack>
          <Alert color="teal" variant="light" icon={<IconCircleCheck aria-hidden />} role="status" title={t('directory.importedTitle')}>
            {t('directory.imported', { ...result.counts })}
          </Alert>
          <Counts counts={result.counts} />
          <Messages items={problemsOf(result.skipped)} total={result.skipped.length} color="orange" title={t('directory.skippedTitle', { count: result.skipped.length })} testId="directory-skipped" />
          <Group justify="flex-end">
            <Button onClick={close}>{t('directory.done')}</Button>
          </Group>
        </Stack>
      ) : preview ? (
        <PreviewStep preview={preview} onBack={() => setPreview(null)} onImported={setResult} />
      ) : (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault()
            if (folder.trim()) read.mutate({ folder: folder.trim() }, { onSuccess: setPreview })
          }}
        >
          <Stack>
            <Text size="sm">{t('directory.importIntro')}</Text>
            <FolderField label={t('directory.importFolder')} value={folder} onChange={setFolder} />
            <FormAlert error={read.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" disabled={!folder.trim()} loading={read.isPending}>
                {t('directory.preview')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  )
}

/** Export the directory as HSDS files into an empty folder. */
export function DirectoryExportDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation()
  const [folder, setFolder] = useState('')
  const run = useExportDirectory()
  const close = () => {
    run.reset()
    onClose()
  }
  return (
    <Modal opened={opened} onClose={close} title={t('directory.exportTitle')} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
      {run.data ? (
        <Stack>
          <Alert color="teal" variant="light" icon={<IconCircleCheck aria-hidden />} role="status" title={t('directory.exportedTitle')}>
            {t('directory.exported', { files: run.data.files.length, agencies: run.data.agencies, folder: run.data.folder })}
          </Alert>
          <Group justify="flex-end">
            <Button onClick={close}>{t('directory.done')}</Button>
          </Group>
        </Stack>
      ) : (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault()
            if (folder.trim()) run.mutate({ folder: folder.trim() })
          }}
        >
          <Stack>
            <Text size="sm">{t('directory.exportIntro')}</Text>
            <FolderField label={t('directory.exportFolder')} value={folder} onChange={setFolder} />
            <FormAlert error={run.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" disabled={!folder.trim()} loading={run.isPending}>
                {t('directory.exportNow')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  )
}
