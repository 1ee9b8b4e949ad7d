import { Badge, Button, Group, Modal, Paper, Radio, Skeleton, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { useForm } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { IconArchive, IconArchiveOff, IconBuildingCommunity, IconPencil } from '@tabler/icons-react'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { CenterRow } from '../../../electron/ipc/contract/centers'
import { FormAlert } from '../components/FormAlert'
import { FormFooter } from '../components/FormFooter'
import { useArchiveCenter, useCentersOverview, useCreateCenter, useRenameCenter, useSetCountingRule } from '../hooks/queries'
import { fieldErrors, noticeChangedElsewhere } from '../lib/errors'
import { focusFirstError } from '../lib/forms'
import { PersonMatchesPanel } from './PersonMatchesPanel'

/**
 * Admins only (issue 15): the organization's centers, how many accounts work at each and how many
 * people are registered there; add, rename, archive (never delete) a center; and the organization's
 * counting rule, and the review of records at two centers that are one person. Grants are set per
 * account on the Staff screen.
 */
export function CentersScreen() {
  const { t } = useTranslation()
  const headingId = useId()
  const overview = useCentersOverview()
  const [naming, setNaming] = useState<CenterRow | 'new' | null>(null)
  const [archiving, setArchiving] = useState<CenterRow | null>(null)
  return (
    <Stack gap="md">
      <Paper withBorder radius="md" p="md" component="section" aria-labelledby={headingId}>
        <Stack gap="md">
          <Group justify="space-between" align="flex-start">
            <Stack gap={2} maw={720}>
              <Title order={1} size="h3" id={headingId}>
                {t('centers.title')}
              </Title>
              <Text c="dimmed">{t('centers.intro')}</Text>
            </Stack>
            <Button leftSection={<IconBuildingCommunity aria-hidden size={18} />} onClick={() => setNaming('new')}>
              {t('centers.add')}
            </Button>
          </Group>
          {overview.isPending ? <Skeleton h={160} /> : null}
          {overview.isError ? <FormAlert error={overview.error} /> : null}
          {overview.data ? <CentersTable rows={overview.data.centers} onRename={setNaming} onArchive={setArchiving} /> : null}
        </Stack>
      </Paper>
      {overview.data ? <CountingRulePanel key={String(overview.data.matchPeople)} matchPeople={overview.data.matchPeople} /> : null}
      {overview.data && overview.data.centers.length > 1 ? <PersonMatchesPanel matchPeople={overview.data.matchPeople} /> : null}
      <NameDialog center={naming} onClose={() => setNaming(null)} />
      <ArchiveDialog center={archiving} onClose={() => setArchiving(null)} />
    </Stack>
  )
}

function CentersTable({ rows, onRename, onArchive }: { rows: CenterRow[]; onRename: (c: CenterRow) => void; onArchive: (c: CenterRow) => void }) {
  const { t } = useTranslation()
  const restore = useArchiveCenter()
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table verticalSpacing="xs" fz="md" aria-label={t('centers.table')} highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('centers.name')}</Table.Th>
            <Table.Th scope="col">{t('centers.status')}</Table.Th>
            <Table.Th scope="col">{t('centers.staff')}</Table.Th>
            <Table.Th scope="col">{t('centers.people')}</Table.Th>
            <Table.Th scope="col">
              <span className="pl-visually-hidden">{t('today.actions')}</span>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((center) => (
            <Table.Tr key={center.id} c={center.active ? undefined : 'dimmed'}>
              <Table.Th scope="row" fw={600}>
                {center.name}
              </Table.Th>
              <Table.Td>
                {center.active ? (
                  <Badge color="green" variant="light" tt="none" radius="sm" fw={500}>
                    {t('centers.inUse')}
                  </Badge>
                ) : (
                  <Badge color="gray" variant="outline" tt="none" radius="sm" fw={500}>
                    {t('centers.archived')}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>{center.staff}</Table.Td>
              <Table.Td>{center.people}</Table.Td>
              <Table.Td>
                <Group gap={6} justify="flex-end" wrap="nowrap">
                  <Button size="xs" h={36} variant="default" leftSection={<IconPencil aria-hidden size={16} />} aria-label={t('centers.renameCenter', { name: center.name })} onClick={() => onRename(center)}>
                    {t('centers.rename')}
                  </Button>
                  {center.active ? (
                    <Button size="xs" h={36} variant="default" leftSection={<IconArchive aria-hidden size={16} />} aria-label={t('centers.archiveCenter', { name: center.name })} onClick={() => onArchive(center)}>
                      {t('centers.archive')}
                    </Button>
                  ) : (
                    <Button
                      size="xs"
                      h={36}
                      variant="default"
                      leftSection={<IconArchiveOff aria-hidden size={16} />}
                      aria-label={t('centers.restoreCenter', { name: center.name })}
                      loading={restore.isPending && restore.variables?.id === center.id}
                      onClick={() =>
                        restore.mutate(
                          { id: center.id, archived: false, version: center.version },
                          {
                            onSuccess: () => notifications.show({ color: 'teal', message: t('centers.restored', { name: center.name }) }),
                            onError: (error) => noticeChangedElsewhere(t, error),
                          },
                        )
                      }
                    >
                      {t('centers.restore')}
                    </Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {restore.isError && !noticeable(restore.error) ? <FormAlert error={restore.error} /> : null}
    </Table.ScrollContainer>
  )
}

/** A STALE refusal is said in a notice (noticeChangedElsewhere); anything else under the table. */
function noticeable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === 'STALE'
}

const NAME_FIELDS = ['name'] as const

function NameDialog({ center, onClose }: { center: CenterRow | 'new' | null; onClose: () => void }) {
  const { t } = useTranslation()
  const isNew = center === 'new'
  return (
    <Modal opened={center !== null} onClose={onClose} title={isNew ? t('centers.add') : t('centers.renameTitle')} size="md" closeButtonProps={{ 'aria-label': t('common.close') }}>
      {center !== null ? <NameForm key={isNew ? 'new' : center.id} center={isNew ? null : center} onClose={onClose} /> : null}
    </Modal>
  )
}

function NameForm({ center, onClose }: { center: CenterRow | null; onClose: () => void }) {
  const { t } = useTranslation()
  const create = useCreateCenter()
  const rename = useRenameCenter()
  const mutation = center ? rename : create
  // The version the form was filled from: a rename over another PC's change is refused.
  const [base] = useState(center?.version)
  const form = useForm({
    initialValues: { name: center?.name ?? '' },
    validate: {
      name: (value) => (!value.trim() ? t('validation.required', { what: t('validation.what.centerName') }) : value.trim().length > 100 ? t('validation.maxLength', { max: 100 }) : null),
    },
  })
  const onError = (error: unknown) => (noticeChangedElsewhere(t, error) ? onClose() : form.setErrors(fieldErrors(error, NAME_FIELDS)))
  const submit = form.onSubmit((values) => {
    const name = values.name.trim()
    if (center) {
      rename.mutate({ id: center.id, name, version: base! }, { onSuccess: () => onClose(), onError })
    } else {
      create.mutate(
        { name },
        {
          onSuccess: (made) => {
            notifications.show({ color: 'teal', message: t('centers.added', { name: made.name }) })
            onClose()
          },
          onError,
        },
      )
    }
  }, focusFirstError)
  return (
    <form noValidate onSubmit={submit}>
      <Stack>
        {center ? null : <Text size="sm">{t('centers.addIntro')}</Text>}
        <TextInput label={t('centers.name')} required autoFocus maxLength={100} {...form.getInputProps('name')} />
        <FormFooter
          error={Object.keys(fieldErrors(mutation.error, NAME_FIELDS)).length === 0 ? mutation.error : null}
          onCancel={onClose}
          submitLabel={center ? t('centers.save') : t('centers.create')}
          pending={mutation.isPending}
        />
      </Stack>
    </form>
  )
}

function ArchiveDialog({ center, onClose }: { center: CenterRow | null; onClose: () => void }) {
  const { t } = useTranslation()
  const archive = useArchiveCenter()
  const close = () => {
    archive.reset()
    onClose()
  }
  return (
    <Modal opened={center !== null} onClose={close} title={t('centers.archiveTitle', { name: center?.name ?? '' })} size="md" closeButtonProps={{ 'aria-label': t('common.close') }}>
      {center ? (
        <Stack>
          <Text>{t('centers.archiveIntro')}</Text>
          <FormAlert error={archive.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close} data-autofocus>
              {t('common.cancel')}
            </Button>
            <Button
              color="red"
              leftSection={<IconArchive aria-hidden size={18} />}
              loading={archive.isPending}
              onClick={() =>
                archive.mutate(
                  { id: center.id, archived: true, version: center.version },
                  {
                    onSuccess: () => {
                      notifications.show({ color: 'teal', message: t('centers.archivedDone', { name: center.name }) })
                      close()
                    },
                    onError: (error) => (noticeChangedElsewhere(t, error) ? close() : undefined),
                  },
                )
              }
            >
              {t('centers.archiveConfirm')}
            </Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  )
}

/** The organization's counting rule, in plain words; saved only on purpose, and audited. */
function CountingRulePanel({ matchPeople }: { matchPeople: boolean }) {
  const { t } = useTranslation()
  const headingId = useId()
  const save = useSetCountingRule()
  const [value, setValue] = useState(matchPeople ? 'match' : 'separate')
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={headingId}>
      <Stack gap="sm" maw={760}>
        <Title order={2} size="h4" id={headingId}>
          {t('centers.counting.title')}
        </Title>
        <Text>{t('centers.counting.intro')}</Text>
        <Radio.Group value={value} onChange={setValue} aria-labelledby={headingId}>
          <Stack gap="sm" mt={4}>
            <Radio value="separate" label={t('centers.counting.separate')} description={t('centers.counting.separateHint')} />
            <Radio value="match" label={t('centers.counting.match')} description={t('centers.counting.matchHint')} />
          </Stack>
        </Radio.Group>
        <Text size="sm" c="dimmed">
          {t('centers.counting.reportsNote')}
        </Text>
        <FormAlert error={save.error} />
        <Group>
          <Button
            disabled={(value === 'match') === matchPeople}
            loading={save.isPending}
            onClick={() => save.mutate({ matchPeople: value === 'match' }, { onSuccess: () => notifications.show({ color: 'teal', message: t('centers.counting.saved') }) })}
          >
            {t('centers.counting.save')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  )
}
