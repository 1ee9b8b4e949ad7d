import { ActionIcon, Badge, Button, Checkbox, Group, Modal, Skeleton, Stack, Table, Text, TextInput } from '@mantine/core'
import { useForm } from '@mantine/form'
import { IconArchive, IconArchiveOff, IconArrowDown, IconArrowUp, IconPencil, IconPlus } from '@tabler/icons-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { FormAlert } from '../components/FormAlert'
import { useAddService, useCatalogAll, useReorderServices, useRetireService, useUpdateService } from '../hooks/queries'
import { announce } from '../lib/announce'
import { fieldErrors } from '../lib/errors'
import { focusFirstError } from '../lib/forms'
import type { ServiceAdmin } from '../lib/types'
import * as rules from '../lib/validation'

const NAME_MAX = 60

/**
 * The services the desk can record, in the order the desk sees them (digits 1–9 follow it).
 * Up/down buttons move a service; retired services stay in old visits and can come back.
 */
export function ServiceCatalogSettings() {
  const { t } = useTranslation()
  const catalog = useCatalogAll()
  const reorder = useReorderServices()
  const retire = useRetireService()
  const [editing, setEditing] = useState<ServiceAdmin | 'new' | null>(null)
  // While a move is being saved, show the new order at once.
  const [pendingOrder, setPendingOrder] = useState<number[] | null>(null)

  if (catalog.isPending) return <Skeleton h={320} />
  if (catalog.isError) return <FormAlert error={catalog.error} />

  const byId = new Map(catalog.data.map((s) => [s.id, s]))
  const ordered = pendingOrder ? pendingOrder.map((id) => byId.get(id)).filter((s): s is ServiceAdmin => Boolean(s)) : catalog.data

  function move(index: number, step: -1 | 1, name: string): void {
    // Moves made while an earlier one is still saving build on the order on screen, and each
    // save sends the whole order, so the last one wins and a quick second press is never lost.
    const ids = ordered.map((s) => s.id)
    const target = index + step
    if (target < 0 || target >= ids.length) return
    ;[ids[index], ids[target]] = [ids[target]!, ids[index]!]
    setPendingOrder(ids)
    reorder.mutate(
      { ids },
      {
        // react-query calls these for the latest mutate() only: the order on screen stays until the last save lands.
        onSettled: () => setPendingOrder(null),
        onSuccess: () => announce(t('catalog.moved', { name })),
      },
    )
    // The row has moved; keep the focus on the same button of the same service.
    const direction = step < 0 ? 'up' : 'down'
    const serviceId = ids[target]
    requestAnimationFrame(() => {
      const again = document.querySelector<HTMLButtonElement>(`[data-move="${direction}-${serviceId}"]`)
      // At the top (or bottom) its button is disabled: the other direction takes the focus.
      ;(again && !again.disabled ? again : document.querySelector<HTMLButtonElement>(`[data-move="${direction === 'up' ? 'down' : 'up'}-${serviceId}"]`))?.focus()
    })
  }

  return (
    <Stack gap="md" maw={980}>
      <Group justify="space-between">
        <Text c="dimmed">{t('catalog.intro')}</Text>
        <Button leftSection={<IconPlus aria-hidden size={18} />} onClick={() => setEditing('new')}>
          {t('catalog.add')}
        </Button>
      </Group>
      <Table verticalSpacing="xs" fz="md" aria-label={t('catalog.table')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col" w={110}>
              {t('catalog.order')}
            </Table.Th>
            <Table.Th scope="col">{t('catalog.nameEn')}</Table.Th>
            <Table.Th scope="col">{t('catalog.nameEs')}</Table.Th>
            <Table.Th scope="col">{t('catalog.quantity')}</Table.Th>
            <Table.Th scope="col">{t('catalog.status')}</Table.Th>
            <Table.Th scope="col">
              <span className="pl-visually-hidden">{t('today.actions')}</span>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {ordered.map((service, index) => {
            const name = service.nameEn
            return (
              <Table.Tr key={service.id} c={service.retiredAt ? 'dimmed' : undefined}>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <ActionIcon
                      variant="default"
                      size={36}
                      aria-label={t('catalog.moveUp', { name })}
                      disabled={index === 0}
                      onClick={() => move(index, -1, name)}
                      data-move={`up-${service.id}`}
                    >
                      <IconArrowUp aria-hidden size={18} />
                    </ActionIcon>
                    <ActionIcon
                      variant="default"
                      size={36}
                      aria-label={t('catalog.moveDown', { name })}
                      disabled={index === ordered.length - 1}
                      onClick={() => move(index, 1, name)}
                      data-move={`down-${service.id}`}
                    >
                      <IconArrowDown aria-hidden size={18} />
                    </ActionIcon>
                  </Group>
                </Table.Td>
                <Table.Td fw={500}>{service.nameEn}</Table.Td>
                <Table.Td lang="es">{service.nameEs}</Table.Td>
                <Table.Td>{service.hasQuantity ? t('catalog.yes') : t('catalog.no')}</Table.Td>
                <Table.Td>
                  {service.retiredAt ? (
                    <Badge color="gray" variant="outline" radius="sm" tt="none" size="lg" fw={500}>
                      {t('catalog.retired')}
                    </Badge>
                  ) : service.atDesk === false ? (
                    <Stack gap={2} align="flex-start">
                      <Badge color="blue" variant="light" radius="sm" tt="none" size="lg" fw={500}>
                        {t('catalog.groupsOnly')}
                      </Badge>
                      <Text size="sm" c="dimmed">
                        {t('catalog.groupsOnlyHint')}
                      </Text>
                    </Stack>
                  ) : (
                    <Badge color="green" variant="light" radius="sm" tt="none" size="lg" fw={500}>
                      {t('catalog.active')}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="nowrap" justify="flex-end">
                    <Button size="xs" h={36} variant="default" leftSection={<IconPencil aria-hidden size={16} />} onClick={() => setEditing(service)} aria-label={t('catalog.editNamed', { name })}>
                      {t('catalog.edit')}
                    </Button>
                    <Button
                      size="xs"
                      h={36}
                      variant="default"
                      leftSection={service.retiredAt ? <IconArchiveOff aria-hidden size={16} /> : <IconArchive aria-hidden size={16} />}
                      loading={retire.isPending && retire.variables?.id === service.id}
                      onClick={() =>
                        retire.mutate(
                          { id: service.id, retired: !service.retiredAt },
                          { onSuccess: (saved) => announce(saved.retiredAt ? t('catalog.retiredNow', { name }) : t('catalog.offeredNow', { name })) },
                        )
                      }
                      aria-label={service.retiredAt ? t('catalog.unretireNamed', { name }) : t('catalog.retireNamed', { name })}
                    >
                      {service.retiredAt ? t('catalog.unretire') : t('catalog.retire')}
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            )
          })}
        </Table.Tbody>
      </Table>
      <FormAlert error={reorder.error ?? retire.error} />
      <ServiceDialog service={editing} onClose={() => setEditing(null)} />
    </Stack>
  )
}

function ServiceDialog({ service, onClose }: { service: ServiceAdmin | 'new' | null; onClose: () => void }) {
  const { t } = useTranslation()
  return (
    <Modal
      opened={service !== null}
      onClose={onClose}
      title={service === 'new' ? t('catalog.addTitle') : t('catalog.editTitle')}
      centered
      closeButtonProps={{ 'aria-label': t('common.close') }}
      styles={{ title: { fontWeight: 700, fontSize: 'var(--mantine-font-size-lg)' } }}
    >
      {service ? <ServiceForm key={service === 'new' ? 'new' : service.id} service={service} onDone={onClose} /> : null}
    </Modal>
  )
}

function ServiceForm({ service, onDone }: { service: ServiceAdmin | 'new'; onDone: () => void }) {
  const { t } = useTranslation()
  const add = useAddService()
  const update = useUpdateService()
  const saving = service === 'new' ? add : update
  const form = useForm({
    initialValues:
      service === 'new'
        ? { nameEn: '', nameEs: '', hasQuantity: false }
        : { nameEn: service.nameEn, nameEs: service.nameEs, hasQuantity: service.hasQuantity },
    validate: {
      nameEn: (value) => (value.trim() ? rules.optionalMax(t, value, NAME_MAX) : t('catalog.needNameEn')),
      nameEs: (value) => (value.trim() ? rules.optionalMax(t, value, NAME_MAX) : t('catalog.needNameEs')),
    },
  })
  const submit = form.onSubmit((values) => {
    const input = { nameEn: values.nameEn.trim(), nameEs: values.nameEs.trim(), hasQuantity: values.hasQuantity }
    const onError = (error: unknown) => {
      const errors = fieldErrors(error, ['nameEn', 'nameEs'] as const)
      form.setErrors(errors)
      focusFirstError(errors)
    }
    const onSuccess = () => {
      announce(t('catalog.saved', { name: input.nameEn }))
      onDone()
    }
    if (service === 'new') add.mutate(input, { onSuccess, onError })
    else update.mutate({ id: service.id, ...input }, { onSuccess, onError })
  }, focusFirstError)
  return (
    <form noValidate onSubmit={submit}>
      <Stack>
        <TextInput label={t('catalog.nameEn')} required maxLength={NAME_MAX} data-autofocus autoComplete="off" {...form.getInputProps('nameEn')} />
        <TextInput label={t('catalog.nameEs')} required maxLength={NAME_MAX} autoComplete="off" lang="es" {...form.getInputProps('nameEs')} />
        <Checkbox label={t('catalog.quantityLabel')} description={t('catalog.quantityHint')} {...form.getInputProps('hasQuantity', { type: 'checkbox' })} />
        <FormAlert error={saving.error && Object.keys(fieldErrors(saving.error, ['nameEn', 'nameEs'] as const)).length === 0 ? saving.error : null} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={saving.isPending}>
            {service === 'new' ? t('catalog.addSubmit') : t('catalog.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
