import { ActionIcon, Alert, Button, CloseButton, Group, Paper, SimpleGrid, Skeleton, Stack, Text, TextInput, Title, Tooltip } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useDebouncedValue } from '@mantine/hooks'
import { IconAlertTriangle, IconCheck, IconId, IconLogin2 } from '@tabler/icons-react'
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { InputOf } from '../../../electron/ipc/contract'
import { isApiError } from '../bridge'
import { useAnonymousCodes, useCheckInNotice, useServices, useSignIn, useStatus } from '../hooks/queries'
import { useCurrentStaff, useOpenProfile } from './ProfileContext'
import { CheckInNotice, NOTICE_ID } from '../safety/CheckInNotice'
import { currentLanguage } from '../i18n'
import { isTextEntry } from '../lib/keyboard'
import { anonymousName, formatLastVisit, formatTime, shortName, visitorName } from '../lib/format'
import type { Person } from '../lib/types'
import * as rules from '../lib/validation'
import { codePrefix } from '../lib/validation'
import { FormAlert } from './FormAlert'
import { RepeatVisitDialog } from './RepeatVisitDialog'
import { useSeveralCenters } from './CenterSwitcher'
import { ServiceToggle } from './ServiceToggle'

export type Visitor = { kind: 'person'; person: Person } | { kind: 'anonymous'; code: string }

interface Props {
  visitor: Visitor
  onDone: () => void
  onCancel: () => void
}

const NOTE_MAX = 500

/**
 * Signs one visitor in: the services they came for, an optional note, and for an anonymous
 * visitor an optional code. Keyboard: Space or 1–9 toggle services, Enter signs in, Esc cancels.
 */
export function CheckInPanel({ visitor, onDone, onCancel }: Props) {
  const { t } = useTranslation()
  // An account with several centers is told where the visit landed (the desk line above says where it will).
  const severalCenters = useSeveralCenters()
  const language = currentLanguage()
  const services = useServices()
  const signIn = useSignIn()
  const [chosen, setChosen] = useState<ReadonlyMap<number, number>>(new Map())
  const [note, setNote] = useState('')
  const [code, setCode] = useState(visitor.kind === 'anonymous' ? visitor.code : '')
  const [emptyConfirmed, setEmptyConfirmed] = useState(false)
  // Settings → Center can require a service on every visit; main refuses one without, too.
  const requireService = useStatus().data?.requireService === true
  const [serviceMissing, setServiceMissing] = useState(false)
  const [codeError, setCodeError] = useState<string | null>(null)
  const [repeatSince, setRepeatSince] = useState<string | null>(null)
  // A manager (or admin) at the desk signs in a person who needs a manager first, on purpose.
  const role = useCurrentStaff()?.role
  const mayOverride = role === 'manager' || role === 'admin'
  const [managerOverride, setManagerOverride] = useState(false)
  // Sign-in stays off while a manager is needed (main refuses it anyway), until a manager ticks the override.
  const askManager = useCheckInNotice(visitor.kind === 'person' ? visitor.person.id : null).data?.askManager === true
  const blocked = askManager && !(mayOverride && managerOverride)
  const formRef = useRef<HTMLFormElement>(null)
  const firstServiceRef = useRef<HTMLInputElement>(null)
  const codeRef = useRef<HTMLInputElement>(null)
  const headingId = useId()
  const servicesLabelId = useId()

  const name = visitor.kind === 'person' ? shortName(visitor.person) : anonymousName(t, code.trim() || null)
  // The service kept for group attendance (a center setting) is not one of the desk's toggles.
  const catalog = (services.data ?? []).filter((service) => service.atDesk !== false)

  // Ready to type: the code for an anonymous visitor, else the first service.
  const servicesReady = services.isSuccess
  // A returning anonymous visitor picked from the search already has a code: go to services.
  const codeGiven = visitor.kind === 'anonymous' && visitor.code !== ''
  useEffect(() => {
    if (visitor.kind === 'anonymous' && !codeGiven) codeRef.current?.focus()
    else if (servicesReady) firstServiceRef.current?.focus()
  }, [visitor.kind, codeGiven, servicesReady])
  const openProfile = useOpenProfile()

  // While a code is typed, the codes already in use that start with it: the same visitor is
  // counted once, and a typo that makes a new code shows up as "no visits yet".
  const [debouncedCode] = useDebouncedValue(codePrefix(code), 200)
  const knownCodes = useAnonymousCodes(visitor.kind === 'anonymous' ? debouncedCode : '')
  const exactCode = knownCodes.data?.find((known) => known.code === code.trim().toUpperCase()) ?? null
  const otherCodes = (knownCodes.data ?? []).filter((known) => known !== exactCode).slice(0, 4)

  function setQuantity(serviceId: number, quantity: number | null): void {
    setChosen((previous) => {
      const next = new Map(previous)
      if (quantity === null) next.delete(serviceId)
      else next.set(serviceId, quantity)
      return next
    })
  }

  function submit(allowRepeat: boolean): void {
    const problem = visitor.kind === 'anonymous' ? rules.anonymousCode(t, code) : null
    setCodeError(problem)
    if (problem) {
      codeRef.current?.focus()
      return
    }
    if (requireService && chosen.size === 0) {
      setServiceMissing(true)
      firstServiceRef.current?.focus()
      return
    }
    // Alt+A then Enter would record "Anonymous —" with nothing in it: ask once, Enter again confirms.
    if (visitor.kind === 'anonymous' && !code.trim() && chosen.size === 0 && !emptyConfirmed) {
      setEmptyConfirmed(true)
      return
    }
    const input: InputOf<'visits.signIn'> = {
      participantId: visitor.kind === 'person' ? visitor.person.id : null,
      ...(visitor.kind === 'anonymous' ? { anonymousCode: code.trim() || null } : {}),
      // In catalog order, whatever order they were ticked in.
      services: catalog.filter((s) => chosen.has(s.id)).map((s) => ({ serviceId: s.id, quantity: chosen.get(s.id) ?? 1 })),
      note: note.trim() || null,
      ...(allowRepeat ? { allowRepeat: true } : {}),
      ...(managerOverride ? { managerOverride: true } : {}),
    }
    signIn.mutate(input, {
      onSuccess: (visit) => {
        setRepeatSince(null)
        const toast = {
          title: severalCenters ? t('centers.signedInAt', { name: severalCenters.current.name }) : t('checkin.signedInTitle'),
          // Named as main saved it (an anonymous code comes back normalized, e.g. upper case).
          message: t('checkin.signedInMessage', { name: visitorName(t, visit), time: formatTime(visit.signedInAt, language) }),
          color: 'green',
          closeButtonProps: { 'aria-label': t('common.dismiss'), size: 'xl' },
          icon: <IconCheck aria-hidden size={18} />,
        }
        // The board shows the person in the answer's own frame; the toast, which slides in over
        // 250 ms anyway, comes one frame later, so its mount and the layout reads Mantine makes in
        // its commit are not added to that frame.
        requestAnimationFrame(() => requestAnimationFrame(() => notifications.show(toast)))
        onDone()
      },
      onError: (error) => {
        if (isApiError(error, 'ALREADY_SIGNED_IN')) {
          const since = error.detail.signedInAt
          setRepeatSince(typeof since === 'string' ? formatTime(since, language) : '—')
        }
      },
    })
  }

  function onSubmit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault()
    if (!signIn.isPending && !blocked) submit(false)
  }

  function onKeyDown(event: KeyboardEvent<HTMLFormElement>): void {
    if (event.altKey || event.ctrlKey || event.metaKey) return
    if (event.key === 'Escape') {
      event.preventDefault()
      onCancel()
    } else if (event.key === 'Enter' && event.target instanceof HTMLInputElement && event.target.type === 'checkbox') {
      // Browsers do not submit a form on Enter in a checkbox; the desk expects Enter to sign in.
      event.preventDefault()
      formRef.current?.requestSubmit()
    } else if (/^[1-9]$/.test(event.key) && !isTextEntry(event.target)) {
      const service = catalog[Number(event.key) - 1]
      if (service) {
        event.preventDefault()
        setQuantity(service.id, chosen.has(service.id) ? null : 1)
      }
    }
  }

  const alertError = signIn.error && !isApiError(signIn.error, 'ALREADY_SIGNED_IN') ? signIn.error : null
  const needsService = serviceMissing && chosen.size === 0
  const askingEmpty = emptyConfirmed && visitor.kind === 'anonymous' && !code.trim() && chosen.size === 0

  return (
    <Paper withBorder radius="md" p="lg" shadow="xs" component="section" aria-labelledby={headingId}>
      <form ref={formRef} noValidate onSubmit={onSubmit} onKeyDown={onKeyDown}>
        <Stack gap="md">
          {/* A compact header (the title at the search card's size, with the row but for two icon
              buttons) so that the care flags and the restriction banner below stay above the sticky
              buttons on a 1366×768 desk in Spanish. */}
          <Stack gap={2}>
            <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
              <Title order={2} size="h4" id={headingId}>
                {visitor.kind === 'person' ? t('checkin.title', { name }) : t('checkin.titleAnonymous')}
              </Title>
              <Group gap={4} wrap="nowrap">
                {visitor.kind === 'person' ? (
                  <Tooltip label={t('checkin.profile')}>
                    <ActionIcon variant="subtle" size="xl" aria-label={t('checkin.profile')} onClick={() => openProfile(visitor.person.id)}>
                      <IconId aria-hidden size={22} />
                    </ActionIcon>
                  </Tooltip>
                ) : null}
                <CloseButton size="xl" aria-label={t('checkin.close')} onClick={onCancel} />
              </Group>
            </Group>
            {visitor.kind === 'person' ? (
              <Text c="dimmed" size="sm">
                {[
                  t('checkin.personMeta', { code: visitor.person.code }),
                  visitor.person.birthYear ? t('search.born', { year: visitor.person.birthYear }) : null,
                  visitor.person.lastVisitAt
                    ? t('search.lastVisit', { date: formatLastVisit(visitor.person.lastVisitAt, language) })
                    : t('search.neverVisited'),
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </Text>
            ) : null}
          </Stack>

          {visitor.kind === 'person' ? (
            <CheckInNotice participantId={visitor.person.id} mayOverride={mayOverride} override={managerOverride} onOverride={setManagerOverride} />
          ) : null}

          {visitor.kind === 'anonymous' ? (
            <TextInput
              ref={codeRef}
              label={t('checkin.anonymousCode')}
              description={t('checkin.anonymousCodeHint')}
              value={code}
              onChange={(event) => {
                setCode(event.currentTarget.value)
                setCodeError(null)
              }}
              error={codeError}
              maxLength={rules.ANONYMOUS_CODE_MAX}
              autoComplete="off"
              spellCheck={false}
              styles={{ input: { maxWidth: 260 } }}
            />
          ) : null}
          {visitor.kind === 'anonymous' && debouncedCode ? (
            <Stack gap={6} aria-live="polite">
              {exactCode ? (
                <Text size="sm" c="green.9" fw={500}>
                  {t('checkin.codeKnown', {
                    code: exactCode.code,
                    count: exactCode.visits,
                    date: exactCode.lastVisitAt ? formatLastVisit(exactCode.lastVisitAt, language) : '—',
                  })}
                </Text>
              ) : knownCodes.isSuccess && debouncedCode === code.trim().toUpperCase() ? (
                <Text size="sm" c="dimmed">
                  {t('checkin.codeNew')}
                </Text>
              ) : null}
              {otherCodes.length > 0 ? (
                <Group gap="xs">
                  <Text size="sm" c="dimmed">
                    {t('checkin.codeSimilar')}
                  </Text>
                  {otherCodes.map((known) => (
                    <Button key={known.code} size="compact-md" variant="light" color="gray" onClick={() => setCode(known.code)}>
                      {known.code}
                    </Button>
                  ))}
                </Group>
              ) : null}
            </Stack>
          ) : null}

          <Stack gap={6} role="group" aria-labelledby={servicesLabelId}>
            <Group justify="space-between" gap="xs">
              <Text fw={600} id={servicesLabelId}>
                {t('checkin.services')}
              </Text>
              <Text size="sm" c="dimmed">
                {t('checkin.servicesHint')}
              </Text>
            </Group>
            {needsService ? (
              <Alert color="yellow" variant="light" role="alert" icon={<IconAlertTriangle aria-hidden />}>
                {t('checkin.serviceRequired')}
              </Alert>
            ) : null}
            {services.isPending ? (
              <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
                {Array.from({ length: 6 }, (_, i) => (
                  <Skeleton key={i} h={54} radius="md" />
                ))}
              </SimpleGrid>
            ) : services.isError ? (
              <FormAlert error={services.error} />
            ) : (
              <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
                {catalog.map((service, index) => (
                  <ServiceToggle
                    key={service.id}
                    service={service}
                    name={language === 'es' ? service.nameEs : service.nameEn}
                    shortcut={index < 9 ? index + 1 : null}
                    quantity={chosen.get(service.id) ?? null}
                    onChange={(quantity) => setQuantity(service.id, quantity)}
                    checkboxRef={index === 0 ? firstServiceRef : undefined}
                  />
                ))}
              </SimpleGrid>
            )}
          </Stack>

          <TextInput
            label={t('checkin.note')}
            placeholder={t('checkin.notePlaceholder')}
            value={note}
            onChange={(event) => setNote(event.currentTarget.value)}
            maxLength={NOTE_MAX}
            autoComplete="off"
          />

          <FormAlert error={alertError} />
          {askingEmpty ? (
            <Alert color="yellow" variant="light" role="alert" icon={<IconAlertTriangle aria-hidden />}>
              {t('checkin.emptyAnonymous')}
            </Alert>
          ) : null}

          {/* Sticky: on a 1366×768 desk screen the buttons stay in view however long the list of services.
              One row in the desk's narrow column in both languages: the Enter key is named in the
              services' hint above, not inside the button, where it pushed "Registrar entrada" to a second row. */}
          <Group justify="flex-end" gap="sm" className="pl-sticky-actions" data-testid="checkin-actions">
            <Button variant="default" onClick={onCancel}>
              {t('common.cancel')}
            </Button>
            <Button
              type="submit"
              size="lg"
              leftSection={<IconLogin2 aria-hidden size={20} />}
              loading={signIn.isPending && repeatSince === null}
              disabled={blocked}
              aria-describedby={blocked ? NOTICE_ID : undefined}
            >
              {t('checkin.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
      <RepeatVisitDialog
        opened={repeatSince !== null}
        name={name}
        since={repeatSince ?? ''}
        busy={signIn.isPending}
        onConfirm={() => submit(true)}
        onCancel={() => {
          setRepeatSince(null)
          signIn.reset()
        }}
      />
    </Paper>
  )
}
