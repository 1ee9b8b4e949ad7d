import { Button, Group, Modal, SimpleGrid, Stack, Text, TextInput } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconDeviceFloppy } from '@tabler/icons-react'
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { FormAlert } from '../components/FormAlert'
import { ServiceToggle } from '../components/ServiceToggle'
import { useServices, useUpdateVisit } from '../hooks/queries'
import { currentLanguage } from '../i18n'
import type { VisitServiceLine } from '../lib/types'
import { fromTimeField, toTimeField } from '../lib/format'
import type { CatalogService } from '../lib/types'
import { ReasonField } from './ReasonField'

export interface EditableVisit {
  id: number
  who: string
  signedInAt: string
  signedOutAt: string | null
  services: VisitServiceLine[]
  note: string | null
}

interface Props {
  visit: EditableVisit | null
  onClose: () => void
}

const NOTE_MAX = 500

/** A minute of slack: a time typed as "now" is not in the future. */
function isFuture(iso: string): boolean {
  return Date.parse(iso) > Date.now() + 60_000
}

/** Corrects a saved visit: services, note, times. Every change needs a reason, kept with it. */
export function EditVisitDialog({ visit, onClose }: Props) {
  const { t } = useTranslation()
  return (
    <Modal
      opened={visit !== null}
      onClose={onClose}
      title={visit ? t('visitEdit.title', { who: visit.who }) : ''}
      centered
      size="lg"
      closeButtonProps={{ 'aria-label': t('common.close') }}
      styles={{ title: { fontWeight: 700, fontSize: 'var(--mantine-font-size-lg)' } }}
    >
      {/* Keyed by visit, so each opening starts from the saved values. */}
      {visit ? <EditVisitForm key={visit.id} visit={visit} onClose={onClose} /> : null}
    </Modal>
  )
}

function EditVisitForm({ visit, onClose }: { visit: EditableVisit; onClose: () => void }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const services = useServices()
  const update = useUpdateVisit()
  const [chosen, setChosen] = useState<ReadonlyMap<number, number>>(() => new Map(visit.services.map((s) => [s.serviceId, s.quantity])))
  const [note, setNote] = useState(visit.note ?? '')
  const [timeIn, setTimeIn] = useState(toTimeField(visit.signedInAt))
  const [timeOut, setTimeOut] = useState(visit.signedOutAt ? toTimeField(visit.signedOutAt) : '')
  const [reason, setReason] = useState('')
  const [errors, setErrors] = useState<{ timeIn?: string; timeOut?: string; reason?: string }>({})

  // The active catalog, plus any retired service this visit already has (it must stay editable).
  const catalog: CatalogService[] = [
    ...(services.data ?? []),
    ...visit.services
      .filter((line) => !(services.data ?? []).some((s) => s.id === line.serviceId))
      .map((line) => ({ id: line.serviceId, key: line.key, nameEn: line.nameEn, nameEs: line.nameEs, hasQuantity: line.quantity > 1 })),
  ]

  function setQuantity(serviceId: number, quantity: number | null): void {
    setChosen((previous) => {
      const next = new Map(previous)
      if (quantity === null) next.delete(serviceId)
      else next.set(serviceId, quantity)
      return next
    })
  }

  function submit(event: FormEvent): void {
    event.preventDefault()
    if (update.isPending) return
    const found: typeof errors = {}
    const signedInAt = timeIn ? fromTimeField(visit.signedInAt, timeIn) : null
    const signedOutAt = timeOut ? fromTimeField(visit.signedInAt, timeOut) : null
    if (!signedInAt) found.timeIn = t('visitEdit.timeRequired')
    else if (isFuture(signedInAt)) found.timeIn = t('visitEdit.timeFuture')
    if (signedOutAt && signedInAt && signedOutAt < signedInAt) found.timeOut = t('visitEdit.outBeforeIn')
    else if (signedOutAt && isFuture(signedOutAt)) found.timeOut = t('visitEdit.timeFuture')
    if (reason.trim().length < 3) found.reason = t('visitEdit.reasonRequired')
    setErrors(found)
    const firstProblem = found.timeIn ? 'timeIn' : found.timeOut ? 'timeOut' : found.reason ? 'reason' : null
    if (firstProblem) {
      document.querySelector<HTMLElement>(firstProblem === 'reason' ? '[data-reason]' : `[data-field="${firstProblem}"]`)?.focus()
      return
    }
    update.mutate(
      {
        visitId: visit.id,
        services: catalog.filter((s) => chosen.has(s.id)).map((s) => ({ serviceId: s.id, quantity: chosen.get(s.id) ?? 1 })),
        note: note.trim() || null,
        // Sent only when changed, so an untouched time keeps its seconds.
        ...(signedInAt && timeIn !== toTimeField(visit.signedInAt) ? { signedInAt } : {}),
        ...(timeOut !== (visit.signedOutAt ? toTimeField(visit.signedOutAt) : '') ? { signedOutAt } : {}),
        reason: reason.trim(),
      },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', title: t('visitEdit.doneTitle'), message: t('visitEdit.doneMessage', { who: visit.who }) })
          onClose()
        },
      },
    )
  }

  return (
    <form noValidate onSubmit={submit}>
      <Stack gap="md">
        <Stack gap={6} role="group" aria-label={t('checkin.services')}>
          <Text fw={600}>{t('checkin.services')}</Text>
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
            {catalog.map((service) => (
              <ServiceToggle
                key={service.id}
                service={service}
                name={language === 'es' ? service.nameEs : service.nameEn}
                shortcut={null}
                quantity={chosen.get(service.id) ?? null}
                onChange={(quantity) => setQuantity(service.id, quantity)}
              />
            ))}
          </SimpleGrid>
        </Stack>
        <TextInput label={t('checkin.note')} value={note} maxLength={NOTE_MAX} autoComplete="off" onChange={(event) => setNote(event.currentTarget.value)} />
        <SimpleGrid cols={2} spacing="sm">
          <TextInput
            type="time"
            label={t('visitEdit.timeIn')}
            required
            value={timeIn}
            error={errors.timeIn}
            data-field="timeIn"
            onChange={(event) => setTimeIn(event.currentTarget.value)}
          />
          <TextInput
            type="time"
            label={t('visitEdit.timeOut')}
            description={t('visitEdit.timeOutHint')}
            value={timeOut}
            error={errors.timeOut}
            data-field="timeOut"
            onChange={(event) => setTimeOut(event.currentTarget.value)}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
          />
        </SimpleGrid>
        <ReasonField
          value={reason}
          error={errors.reason ?? null}
          onChange={(value) => {
            setReason(value)
            setErrors((previous) => ({ ...previous, reason: undefined }))
          }}
        />
        <FormAlert error={update.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" leftSection={<IconDeviceFloppy aria-hidden size={18} />} loading={update.isPending}>
            {t('visitEdit.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
