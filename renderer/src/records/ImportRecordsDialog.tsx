import { Alert, Button, Checkbox, Group, List, Modal, NativeSelect, Progress, Radio, ScrollArea, SegmentedControl, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { IconAlertCircle, IconCircleCheck, IconFileSpreadsheet } from '@tabler/icons-react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { TFunction } from 'i18next'
import type { InputOf } from '../../../electron/ipc/contract'
import type { PossibleDuplicate, RecordCounts, RecordProblem, RecordsImportResult, RecordsPreview } from '../../../electron/ipc/contract/records'
import { IMPORT_FIELDS, missingRequired, type RecordImportField, type RecordImportKind, type RecordMapping } from '../../../db/domain/records-import'
import type { MessageKey, MessageRef } from '../../../shared/messages'
import { formatMessage } from '../i18n/messages'
import { invoke } from '../bridge'
import { FormAlert } from '../components/FormAlert'
import { currentLanguage } from '../i18n'

const usePreview = () => useMutation({ mutationFn: (input: InputOf<'records.preview'>) => invoke('records.preview', input) })
const useChooseFile = () => useMutation({ mutationFn: () => invoke('records.chooseFile', {}) })
function useImport() {
  const client = useQueryClient()
  // Everything about people and visits may have changed: every cached list is read again.
  return useMutation({ mutationFn: (input: InputOf<'records.import'>) => invoke('records.import', input), onSuccess: () => client.invalidateQueries() })
}
const useProgress = (running: boolean) =>
  useQuery({ queryKey: ['records', 'progress'], queryFn: () => invoke('records.progress', {}), enabled: running, refetchInterval: running ? 250 : false })

/** What an import did, each count in its singular or plural form; how long it took when that was a noticeable while. */
function importedSentence(t: TFunction, result: RecordsImportResult): string {
  const part = (key: 'newPeople' | 'matched' | 'visits' | 'anonymous' | 'alreadyImported') => t(`records.imported.${key}`, { count: result.counts[key] })
  const sentence =
    result.kind === 'visits'
      ? t('records.imported.sentence.visits', { visits: part('visits'), anonymous: part('anonymous'), alreadyImported: part('alreadyImported') })
      : t('records.imported.sentence.participants', { newPeople: part('newPeople'), matched: part('matched'), alreadyImported: part('alreadyImported') })
  return result.seconds >= 1 ? `${sentence} ${t('records.imported.took', { seconds: result.seconds })}` : sentence
}

function fieldLabel(field: RecordImportField): string {
  return formatMessage(currentLanguage(), `recordsImport.field.${field}` as MessageKey)
}

function Messages({ items, total, color, title, testId }: { items: MessageRef[]; total: number; color: string; title: string; testId: string }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  if (items.length === 0) return null
  return (
    <Alert color={color} variant="light" title={title} icon={color === 'red' ? <IconAlertCircle aria-hidden /> : undefined} data-testid={testId}>
      <ScrollArea.Autosize mah={200} type="auto" viewportProps={{ tabIndex: 0, role: 'region', 'aria-label': title }}>
        <List size="sm" spacing={2}>
          {items.map((item, index) => (
            <List.Item key={index}>{formatMessage(language, item.key, item.params)}</List.Item>
          ))}
        </List>
      </ScrollArea.Autosize>
      {total > items.length ? <Text size="sm" mt={4}>{t('records.andMore', { count: total - items.length })}</Text> : null}
    </Alert>
  )
}

const COUNT_ROWS: Record<RecordImportKind, Array<keyof RecordCounts>> = {
  participants: ['newPeople', 'matched', 'duplicates', 'alreadyImported', 'badRows'],
  visits: ['visits', 'anonymous', 'alreadyImported', 'badRows'],
}

function Counts({ kind, counts, label }: { kind: RecordImportKind; counts: RecordCounts; label: string }) {
  const { t } = useTranslation()
  return (
    <Table withTableBorder w="fit-content" aria-label={label}>
      <Table.Tbody>
        {COUNT_ROWS[kind].map((key) => (
          <Table.Tr key={key}>
            <Table.Th scope="row">{t(`records.count.${key}`)}</Table.Th>
            <Table.Td ta="right" data-testid={`records-count-${key}`}>
              {counts[key].toLocaleString(currentLanguage())}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}

/** Each of Porchlight's fields and the column of the file it is read from. */
function MappingTable({ preview, mapping, onChange }: { preview: RecordsPreview; mapping: RecordMapping; onChange: (mapping: RecordMapping) => void }) {
  const { t } = useTranslation()
  const required = new Set(missingRequired(preview.kind, {}))
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="xs" verticalSpacing={4} data-testid="records-mapping">
      {IMPORT_FIELDS[preview.kind].map((field) => (
        <NativeSelect
          key={field}
          label={fieldLabel(field)}
          description={required.has(field) ? t('records.requiredField') : undefined}
          value={mapping[field] ?? ''}
          data={[{ value: '', label: t('records.notImported') }, ...preview.headers.map((header) => ({ value: header, label: header }))]}
          onChange={(event) => {
            const next = { ...mapping }
            if (event.currentTarget.value) next[field] = event.currentTarget.value
            else delete next[field]
            onChange(next)
          }}
        />
      ))}
    </SimpleGrid>
  )
}

function Sample({ preview }: { preview: RecordsPreview }) {
  const { t } = useTranslation()
  if (preview.sample.length === 0) return null
  return (
    <ScrollArea type="auto" viewportProps={{ tabIndex: 0, role: 'region', 'aria-label': t('records.sampleLabel') }}>
      <Table striped withTableBorder fz="xs" aria-label={t('records.sampleLabel')}>
        <Table.Thead>
          <Table.Tr>
            {preview.headers.map((header) => (
              <Table.Th key={header}>{header}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {preview.sample.map((row, index) => (
            <Table.Tr key={index}>
              {preview.headers.map((header, at) => (
                <Table.Td key={header}>{row[at] ?? ''}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  )
}

/** One possible duplicate: a new person, or one of the people the desk's check found. */
function DuplicateReview({ duplicate, value, onChange }: { duplicate: PossibleDuplicate; value: string; onChange: (value: string) => void }) {
  const { t } = useTranslation()
  return (
    <Radio.Group label={t('records.duplicateRow', { row: duplicate.row, name: duplicate.name })} value={value} onChange={onChange}>
      <Stack gap={4} mt={4}>
        <Radio value="new" label={t('records.asNew')} />
        {duplicate.candidates.map((candidate) => (
          <Radio
            key={candidate.id}
            value={String(candidate.id)}
            label={t('records.sameAs', { name: candidate.name, code: candidate.code, year: candidate.birthYear ?? '—' })}
          />
        ))}
      </Stack>
    </Radio.Group>
  )
}

const problemsOf = (problems: RecordProblem[]) => problems.map((problem) => problem.message)

function PreviewStep({ preview, onPreview, reading, onImported }: { preview: RecordsPreview; onPreview: (mapping: RecordMapping) => void; reading: boolean; onImported: (result: RecordsImportResult) => void }) {
  const { t } = useTranslation()
  const [mapping, setMapping] = useState<RecordMapping>(preview.mapping)
  const [skip, setSkip] = useState(false)
  const [review, setReview] = useState<Record<number, string>>({})
  const run = useImport()
  const progress = useProgress(run.isPending)
  const changed = JSON.stringify(mapping) !== JSON.stringify(preview.mapping)
  const blocked = changed || preview.fatal || preview.importedBefore !== null || (preview.counts.badRows > 0 && !skip)
  const step = progress.data
  const share = step ? (step.phase === 'writing' ? 0.6 + 0.4 * (step.done / Math.max(1, step.total)) : step.phase === 'checking' ? 0.1 + 0.5 * (step.done / Math.max(1, step.total)) : 0.05) : 0.02
  const matches = Object.entries(review)
    .filter(([, value]) => value !== 'new')
    .map(([row, value]) => ({ row: Number(row), participantId: Number(value) }))
  return (
    <Stack>
      <Title order={2} size="h5">
        {t('records.mappingTitle')}
      </Title>
      <Text size="sm">{t(preview.remembered ? 'records.mappingRemembered' : 'records.mappingIntro', { rows: preview.rows.toLocaleString(currentLanguage()) })}</Text>
      <MappingTable preview={preview} mapping={mapping} onChange={setMapping} />
      <Group>
        <Button variant="default" disabled={!changed} loading={reading} onClick={() => onPreview(mapping)}>
          {t('records.checkAgain')}
        </Button>
        {changed ? <Text size="sm">{t('records.checkAgainHint')}</Text> : null}
      </Group>
      <Sample preview={preview} />
      <Title order={2} size="h5">
        {t('records.dryRunTitle')}
      </Title>
      {preview.importedBefore ? (
        <Alert color="orange" variant="light" role="status">
          {t('records.importedBefore', { at: new Date(preview.importedBefore).toLocaleString(currentLanguage()) })}
        </Alert>
      ) : null}
      <Counts kind={preview.kind} counts={preview.counts} label={t('records.countsLabel')} />
      <Messages
        items={problemsOf(preview.problems)}
        total={preview.problemCount}
        color="red"
        title={preview.fatal ? t('records.fatalTitle') : t('records.problemsTitle', { count: preview.counts.badRows })}
        testId="records-problems"
      />
      <Messages items={preview.notes} total={preview.notes.length} color="gray" title={t('records.notesTitle')} testId="records-notes" />
      {preview.duplicates.length > 0 ? (
        <Stack gap="xs" data-testid="records-duplicates">
          <Title order={2} size="h5">
            {t('records.duplicatesTitle', { count: preview.counts.duplicates })}
          </Title>
          <Text size="sm">{t('records.duplicatesIntro')}</Text>
          {preview.duplicates.map((duplicate) => (
            <DuplicateReview key={duplicate.row} duplicate={duplicate} value={review[duplicate.row] ?? 'new'} onChange={(value) => setReview({ ...review, [duplicate.row]: value })} />
          ))}
        </Stack>
      ) : null}
      {preview.counts.badRows > 0 && !preview.fatal ? (
        <Checkbox label={t('records.skipBadRows', { count: preview.counts.badRows })} description={t('records.skipHint')} checked={skip} onChange={(event) => setSkip(event.currentTarget.checked)} />
      ) : null}
      {run.isPending ? <Progress value={share * 100} animated aria-label={t('records.progressLabel')} /> : null}
      {run.isPending && step ? (
        <Text size="sm" aria-live="polite">
          {t(`records.phase.${step.phase}`)}
        </Text>
      ) : null}
      <FormAlert error={run.error} />
      <Group justify="flex-end">
        <Button
          disabled={blocked}
          loading={run.isPending}
          onClick={() => run.mutate({ file: preview.file, kind: preview.kind, mapping: preview.mapping, skipBadRows: skip, matches }, { onSuccess: onImported })}
        >
          {t('records.importNow')}
        </Button>
      </Group>
    </Stack>
  )
}

/** A people list or a sign-in log from CSV or Excel: choose, map and preview (nothing written), import, report. */
export function ImportRecordsDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation()
  const [kind, setKind] = useState<RecordImportKind>('participants')
  const [file, setFile] = useState('')
  const [preview, setPreview] = useState<RecordsPreview | null>(null)
  const [result, setResult] = useState<RecordsImportResult | null>(null)
  const read = usePreview()
  const choose = useChooseFile()
  const close = () => {
    setPreview(null)
    setResult(null)
    read.reset()
    onClose()
  }
  const runPreview = (mapping: RecordMapping | null) => read.mutate({ file: file.trim(), kind, mapping }, { onSuccess: setPreview })
  return (
    <Modal opened={opened} onClose={close} title={t('records.title')} size="80rem" closeButtonProps={{ 'aria-label': t('common.close') }}>
      {result ? (
        <Stack>
          <Alert color="teal" variant="light" icon={<IconCircleCheck aria-hidden />} role="status" title={t('records.importedTitle')}>
            {importedSentence(t, result)}
          </Alert>
          <Counts kind={result.kind} counts={result.counts} label={t('records.resultLabel')} />
          <Messages items={problemsOf(result.skipped)} total={result.skippedCount} color="orange" title={t('records.skippedTitle', { count: result.skippedCount })} testId="records-skipped" />
          <Group justify="flex-end">
            <Button onClick={close}>{t('records.done')}</Button>
          </Group>
        </Stack>
      ) : preview ? (
        <Stack>
          <PreviewStep key={JSON.stringify(preview.mapping)} preview={preview} reading={read.isPending} onPreview={runPreview} onImported={setResult} />
          <FormAlert error={read.error} />
          <Group>
            <Button variant="default" onClick={() => setPreview(null)}>
              {t('records.back')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault()
            if (file.trim()) runPreview(null)
          }}
        >
          <Stack>
            <Text size="sm">{t('records.intro')}</Text>
            <Stack gap={4}>
              <Text size="sm" fw={500} id="records-kind">
                {t('records.kindLabel')}
              </Text>
              <SegmentedControl
                aria-labelledby="records-kind"
                value={kind}
                onChange={(value) => setKind(value as RecordImportKind)}
                data={[
                  { value: 'participants', label: t('records.kind.participants') },
                  { value: 'visits', label: t('records.kind.visits') },
                ]}
                w="fit-content"
              />
            </Stack>
            <Group align="flex-end" wrap="nowrap" preventGrowOverflow={false}>
              <TextInput label={t('records.fileLabel')} description={t('records.fileHint')} value={file} onChange={(event) => setFile(event.currentTarget.value)} style={{ flex: 1 }} data-autofocus />
              <Button variant="default" leftSection={<IconFileSpreadsheet aria-hidden size={18} />} loading={choose.isPending} onClick={() => choose.mutate(undefined, { onSuccess: (chosen) => chosen !== null && setFile(chosen) })}>
                {t('records.chooseFile')}
              </Button>
            </Group>
            <FormAlert error={choose.error ?? read.error} />
            {read.isPending ? <Progress value={100} animated aria-label={t('records.progressLabel')} /> : null}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" disabled={!file.trim()} loading={read.isPending}>
                {t('records.read')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  )
}
