import { Badge, Button, Checkbox, Group, Modal, NumberInput, Paper, SimpleGrid, Skeleton, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { useForm } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { IconArrowLeft, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react'
import { useId, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { CategorySetting, KindSetting, WorkforceSettings as Settings } from '../../../electron/ipc/contract'
import { FormAlert } from '../components/FormAlert'
import { FormFooter } from '../components/FormFooter'
import { currentLanguage } from '../i18n'
import { fieldErrors } from '../lib/errors'
import { focusFirstError } from '../lib/forms'
import { hours } from './format'
import { useDeleteCategory, useDeleteKind, useSaveCategory, useSaveKind, useWorkforceSettings } from '../hooks/queries'

/**
 * The center's credential kinds (each one's renewal period and the training hours it requires, in
 * total and by category) and its training categories, for managers and admins. One in use cannot be
 * deleted: main refuses and says to archive it, which keeps it on the records that hold it.
 */
export function WorkforceSettings({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation()
  const headingId = useId()
  const settings = useWorkforceSettings()
  return (
    <Stack gap="md" maw={1280}>
      <Paper withBorder radius="md" p="md" component="section" aria-labelledby={headingId}>
        <Group justify="space-between" align="flex-end">
          <Stack gap={2}>
            <Title order={1} size="h3" id={headingId}>
              {t('workforce.settings.title')}
            </Title>
            <Text c="dimmed">{t('workforce.settings.intro')}</Text>
          </Stack>
          <Button variant="subtle" leftSection={<IconArrowLeft aria-hidden size={18} />} onClick={onClose}>
            {t('workforce.back')}
          </Button>
        </Group>
      </Paper>
      {settings.isPending ? <Skeleton h={240} /> : settings.isError ? <FormAlert error={settings.error} /> : <Lists settings={settings.data} />}
    </Stack>
  )
}

type Editing<T> = { item: T | null } | null

function Lists({ settings }: { settings: Settings }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const name = (n: { nameEn: string; nameEs: string }) => (language === 'es' ? n.nameEs : n.nameEn)
  const [kind, setKind] = useState<Editing<KindSetting>>(null)
  const [category, setCategory] = useState<Editing<CategorySetting>>(null)
  const [deleting, setDeleting] = useState<{ what: 'kind' | 'category'; id: number; name: string } | null>(null)
  const categoryName = new Map(settings.categories.map((c) => [c.key, name(c)]))
  const status = (active: boolean) => (
    // max-content: a narrow table would otherwise cut the word to "Acti…".
    <Badge color={active ? 'green' : 'gray'} variant="light" tt="none" radius="sm" fw={600} miw="max-content">
      {active ? t('workforce.settings.active') : t('workforce.settings.archived')}
    </Badge>
  )
  return (
    <>
      <Section title={t('workforce.settings.kinds')} addLabel={t('workforce.settings.addKind')} onAdd={() => setKind({ item: null })} minWidth={820}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('workforce.settings.name')}</Table.Th>
            <Table.Th scope="col" ta="right">{t('workforce.settings.periodMonths')}</Table.Th>
            <Table.Th scope="col" ta="right">{t('workforce.settings.requiredHours')}</Table.Th>
            <Table.Th scope="col">{t('workforce.settings.byCategory')}</Table.Th>
            <Table.Th scope="col" ta="right">{t('workforce.settings.held')}</Table.Th>
            <Table.Th scope="col">{t('workforce.status')}</Table.Th>
            <Table.Th scope="col">
              <span className="pl-visually-hidden">{t('today.actions')}</span>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {settings.kinds.map((k) => (
            <Table.Tr key={k.id}>
              <Table.Th scope="row" fw={600}>
                {name(k)}
              </Table.Th>
              <Table.Td ta="right">{k.periodMonths}</Table.Td>
              <Table.Td ta="right">{hours(k.requiredHours, language)}</Table.Td>
              <Table.Td>
                {Object.keys(k.categoryHours).length === 0
                  ? '—'
                  : Object.entries(k.categoryHours)
                      .map(([key, h]) => t('workforce.settings.categoryPart', { name: categoryName.get(key) ?? key, hours: hours(h, language) }))
                      .join('; ')}
              </Table.Td>
              <Table.Td ta="right">{k.credentials}</Table.Td>
              <Table.Td>{status(k.active)}</Table.Td>
              <Table.Td>
                <RowActions label={name(k)} onEdit={() => setKind({ item: k })} onDelete={() => setDeleting({ what: 'kind', id: k.id, name: name(k) })} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Section>
      <Section title={t('workforce.settings.categories')} addLabel={t('workforce.settings.addCategory')} onAdd={() => setCategory({ item: null })} minWidth={720}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('workforce.settings.name')}</Table.Th>
            <Table.Th scope="col" ta="right">{t('workforce.settings.logged')}</Table.Th>
            <Table.Th scope="col">{t('workforce.settings.requiredBy')}</Table.Th>
            <Table.Th scope="col">{t('workforce.status')}</Table.Th>
            <Table.Th scope="col">
              <span className="pl-visually-hidden">{t('today.actions')}</span>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {settings.categories.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Th scope="row" fw={600}>
                {name(c)}
              </Table.Th>
              <Table.Td ta="right">{c.training}</Table.Td>
              <Table.Td>{c.requiredBy.length === 0 ? '—' : c.requiredBy.map(name).join('; ')}</Table.Td>
              <Table.Td>{status(c.active)}</Table.Td>
              <Table.Td>
                <RowActions label={name(c)} onEdit={() => setCategory({ item: c })} onDelete={() => setDeleting({ what: 'category', id: c.id, name: name(c) })} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Section>
      <Modal opened={kind !== null} onClose={() => setKind(null)} title={kind?.item ? t('workforce.settings.editKind', { name: name(kind.item) }) : t('workforce.settings.addKind')} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
        {kind ? <KindForm kind={kind.item} categories={settings.categories} onClose={() => setKind(null)} /> : null}
      </Modal>
      <Modal opened={category !== null} onClose={() => setCategory(null)} title={category?.item ? t('workforce.settings.editCategory', { name: name(category.item) }) : t('workforce.settings.addCategory')} closeButtonProps={{ 'aria-label': t('common.close') }}>
        {category ? <CategoryForm category={category.item} onClose={() => setCategory(null)} /> : null}
      </Modal>
      <Modal opened={deleting !== null} onClose={() => setDeleting(null)} title={deleting ? t('workforce.settings.deleteTitle', { name: deleting.name }) : ''} closeButtonProps={{ 'aria-label': t('common.close') }}>
        {deleting ? <DeleteForm what={deleting.what} id={deleting.id} onClose={() => setDeleting(null)} /> : null}
      </Modal>
    </>
  )
}

/** A titled list with its add button: the table inside is named by the title. */
function Section({ title, addLabel, onAdd, minWidth, children }: { title: string; addLabel: string; onAdd: () => void; minWidth: number; children: ReactNode }) {
  const id = useId()
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={id}>
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id={id}>
          {title}
        </Title>
        <Button leftSection={<IconPlus aria-hidden size={16} />} onClick={onAdd}>
          {addLabel}
        </Button>
      </Group>
      <Table.ScrollContainer minWidth={minWidth}>
        <Table verticalSpacing="xs" aria-labelledby={id}>
          {children}
        </Table>
      </Table.ScrollContainer>
    </Paper>
  )
}

function RowActions({ label, onEdit, onDelete }: { label: string; onEdit: () => void; onDelete: () => void }) {
  const { t } = useTranslation()
  return (
    <Group gap="xs" wrap="nowrap">
      <Button size="xs" h={32} variant="default" leftSection={<IconPencil aria-hidden size={16} />} aria-label={t('workforce.settings.editOf', { name: label })} onClick={onEdit}>
        {t('workforce.settings.edit')}
      </Button>
      <Button size="xs" h={32} variant="default" color="red.9" leftSection={<IconTrash aria-hidden size={16} />} aria-label={t('workforce.settings.deleteOf', { name: label })} onClick={onDelete}>
        {t('workforce.settings.delete')}
      </Button>
    </Group>
  )
}

const KIND_FIELDS = ['nameEn', 'nameEs', 'periodMonths', 'requiredHours', 'categoryHours', 'active'] as const

function KindForm({ kind, categories, onClose }: { kind: KindSetting | null; categories: CategorySetting[]; onClose: () => void }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const save = useSaveKind()
  // A kind's requirement can name an active category; one it already names stays editable even if archived since.
  const offered = categories.filter((c) => c.active || (kind?.categoryHours[c.key] ?? 0) > 0)
  const form = useForm({
    initialValues: {
      nameEn: kind?.nameEn ?? '',
      nameEs: kind?.nameEs ?? '',
      periodMonths: (kind?.periodMonths ?? 24) as number | string,
      requiredHours: (kind?.requiredHours ?? 0) as number | string,
      categoryHours: Object.fromEntries(offered.map((c) => [String(c.id), (kind?.categoryHours[c.key] ?? 0) as number | string])),
      archived: kind ? !kind.active : false,
    },
    validate: {
      nameEn: (v) => (v.trim() ? null : t('workforce.settings.nameRequired')),
      nameEs: (v) => (v.trim() ? null : t('workforce.settings.nameRequired')),
      periodMonths: (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 120 ? null : t('workforce.settings.periodHint')),
      requiredHours: (v, values) => {
        if (typeof v !== 'number' || v < 0 || v > 1000) return t('workforce.settings.hoursHint')
        const inCategories = Object.values(values.categoryHours).reduce<number>((sum, h) => sum + (typeof h === 'number' ? h : 0), 0)
        return inCategories > v ? t('workforce.settings.overTotal', { hours: hours(inCategories, language), total: hours(v, language) }) : null
      },
    },
  })
  const submit = form.onSubmit(
    (v) =>
      save.mutate(
        {
          ...(kind ? { id: kind.id } : {}),
          nameEn: v.nameEn,
          nameEs: v.nameEs,
          periodMonths: Number(v.periodMonths),
          requiredHours: Number(v.requiredHours),
          categoryHours: Object.entries(v.categoryHours)
            .map(([id, h]) => ({ categoryId: Number(id), hours: Number(h) || 0 }))
            .filter((c) => c.hours > 0),
          active: !v.archived,
        },
        {
          onSuccess: () => {
            notifications.show({ message: t('workforce.settings.saved'), color: 'teal' })
            onClose()
          },
          onError: (error) => form.setErrors(fieldErrors(error, KIND_FIELDS)),
        },
      ),
    focusFirstError,
  )
  const groupId = useId()
  return (
    <form noValidate onSubmit={submit}>
      <Stack gap="sm">
        <Group grow align="flex-start">
          <TextInput label={t('workforce.settings.nameEn')} required maxLength={120} data-autofocus {...form.getInputProps('nameEn')} />
          <TextInput label={t('workforce.settings.nameEs')} required maxLength={120} {...form.getInputProps('nameEs')} />
        </Group>
        <Group grow align="flex-start">
          <NumberInput label={t('workforce.settings.periodMonths')} description={t('workforce.settings.periodHint')} required min={1} max={120} allowDecimal={false} {...form.getInputProps('periodMonths')} />
          <NumberInput label={t('workforce.settings.requiredHours')} description={t('workforce.settings.requiredHint')} required min={0} max={1000} decimalScale={2} {...form.getInputProps('requiredHours')} />
        </Group>
        <Stack gap={4} role="group" aria-labelledby={groupId}>
          <Text fw={500} size="sm" id={groupId}>
            {t('workforce.settings.categoryHours')}
          </Text>
          <Text size="xs" c="dimmed">
            {t('workforce.settings.categoryHoursHint')}
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            {offered.map((c) => (
              <NumberInput key={c.id} label={t('workforce.settings.hoursIn', { name: language === 'es' ? c.nameEs : c.nameEn })} min={0} max={1000} decimalScale={2} {...form.getInputProps(`categoryHours.${c.id}`)} />
            ))}
          </SimpleGrid>
        </Stack>
        <Checkbox label={t('workforce.settings.archive')} description={t('workforce.settings.archiveKindHint')} {...form.getInputProps('archived', { type: 'checkbox' })} />
        <FormFooter error={save.error} onCancel={onClose} submitLabel={t('workforce.save')} pending={save.isPending} />
      </Stack>
    </form>
  )
}

const CATEGORY_FIELDS = ['nameEn', 'nameEs', 'active'] as const

function CategoryForm({ category, onClose }: { category: CategorySetting | null; onClose: () => void }) {
  const { t } = useTranslation()
  const save = useSaveCategory()
  const form = useForm({
    initialValues: { nameEn: category?.nameEn ?? '', nameEs: category?.nameEs ?? '', archived: category ? !category.active : false },
    validate: {
      nameEn: (v) => (v.trim() ? null : t('workforce.settings.nameRequired')),
      nameEs: (v) => (v.trim() ? null : t('workforce.settings.nameRequired')),
    },
  })
  const submit = form.onSubmit(
    (v) =>
      save.mutate(
        { ...(category ? { id: category.id } : {}), nameEn: v.nameEn, nameEs: v.nameEs, active: !v.archived },
        {
          onSuccess: () => {
            notifications.show({ message: t('workforce.settings.saved'), color: 'teal' })
            onClose()
          },
          onError: (error) => form.setErrors(fieldErrors(error, CATEGORY_FIELDS)),
        },
      ),
    focusFirstError,
  )
  return (
    <form noValidate onSubmit={submit}>
      <Stack gap="sm">
        <TextInput label={t('workforce.settings.nameEn')} required maxLength={80} data-autofocus {...form.getInputProps('nameEn')} />
        <TextInput label={t('workforce.settings.nameEs')} required maxLength={80} {...form.getInputProps('nameEs')} />
        <Checkbox label={t('workforce.settings.archive')} description={t('workforce.settings.archiveCategoryHint')} {...form.getInputProps('archived', { type: 'checkbox' })} />
        <FormFooter error={save.error} onCancel={onClose} submitLabel={t('workforce.save')} pending={save.isPending} />
      </Stack>
    </form>
  )
}

/** Deleting asks first; main refuses one in use and its message says to archive it instead. */
function DeleteForm({ what, id, onClose }: { what: 'kind' | 'category'; id: number; onClose: () => void }) {
  const { t } = useTranslation()
  const deleteKind = useDeleteKind()
  const deleteCategory = useDeleteCategory()
  const remove = what === 'kind' ? deleteKind : deleteCategory
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        remove.mutate(
          { id },
          {
            onSuccess: () => {
              notifications.show({ message: t('workforce.settings.deleted'), color: 'teal' })
              onClose()
            },
          },
        )
      }}
    >
      <Stack gap="sm">
        <Text>{what === 'kind' ? t('workforce.settings.deleteKindBody') : t('workforce.settings.deleteCategoryBody')}</Text>
        <FormFooter error={remove.error} onCancel={onClose} submitLabel={t('workforce.settings.delete')} pending={remove.isPending} />
      </Stack>
    </form>
  )
}
