import { Alert, Button, Checkbox, Group, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core'
import { IconCheck } from '@tabler/icons-react'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useState, type Ref } from 'react'
import { useTranslation } from 'react-i18next'
import { invoke, isApiError } from '../bridge'
import { useStatus } from '../hooks/queries'
import { currentLanguage } from '../i18n'

interface Props {
  headingRef: Ref<HTMLHeadingElement>
  /** The name the person typed, or null when they used their code. */
  name: string | null
  onDone: () => void
  onCancel: () => void
}

/** Step 4: the services the person came for, as big toggles; then sign in. */
export function KioskServices({ headingRef, name, onDone, onCancel }: Props) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const services = useQuery({ queryKey: ['kiosk', 'services'], queryFn: () => invoke('kiosk.services', {}), staleTime: 60_000 })
  const [chosen, setChosen] = useState<ReadonlySet<number>>(new Set())
  // Settings → Center can require a service on every visit (main refuses an empty one, too).
  const requireService = useStatus().data?.requireService === true
  const [askedForOne, setAskedForOne] = useState(false)
  const signIn = useMutation({
    mutationFn: () =>
      invoke('kiosk.signIn', {
        services: (services.data ?? []).filter((s) => chosen.has(s.id)).map((s) => ({ serviceId: s.id, quantity: 1 })),
      }),
    onSuccess: () => onDone(),
    onError: (error) => {
      // Signed in earlier today: just as welcome.
      if (isApiError(error, 'ALREADY_SIGNED_IN')) onDone()
    },
  })

  function toggle(id: number, on: boolean): void {
    setChosen((previous) => {
      const next = new Set(previous)
      if (on) next.add(id)
      else next.delete(id)
      return next
    })
  }

  const title = name ? t('kiosk.servicesTitle', { name }) : t('kiosk.servicesTitleNoName')
  return (
    <Stack gap={24} maw={1000} mx="auto" py={8}>
      <Stack gap={6}>
        <Title order={1} ref={headingRef} tabIndex={-1} className="pl-kiosk-title" fz={40}>
          {title}
        </Title>
        <Text fz={24}>{t('kiosk.servicesIntro')}</Text>
      </Stack>
      {services.isPending ? (
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing={16}>
          {Array.from({ length: 6 }, (_, i) => (
            <Skeleton key={i} h={88} radius="lg" />
          ))}
        </SimpleGrid>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing={16} role="group" aria-label={title}>
          {(services.data ?? []).map((service) => {
            const checked = chosen.has(service.id)
            return (
              <Checkbox.Card
                key={service.id}
                checked={checked}
                onChange={(on) => toggle(service.id, on)}
                radius="lg"
                className="pl-kiosk-toggle"
                aria-label={language === 'es' ? service.nameEs : service.nameEn}
              >
                <Group wrap="nowrap" gap={20} px={24} mih={80}>
                  <Checkbox.Indicator size="xl" aria-hidden />
                  <Text fz={28} fw={600}>
                    {language === 'es' ? service.nameEs : service.nameEn}
                  </Text>
                </Group>
              </Checkbox.Card>
            )
          })}
        </SimpleGrid>
      )}
      {askedForOne && chosen.size === 0 ? (
        <Alert color="yellow" variant="light" role="alert" styles={{ message: { fontSize: 22 } }}>
          {t('kiosk.pickOne')}
        </Alert>
      ) : null}
      {signIn.error && !isApiError(signIn.error, 'ALREADY_SIGNED_IN') ? (
        <Alert color="red" variant="light" role="alert" styles={{ message: { fontSize: 22 } }}>
          {t('kiosk.signInFailed')}
        </Alert>
      ) : null}
      <Group justify="space-between" className="pl-kiosk-actions">
        <Button variant="default" size="xl" h={72} fz={24} onClick={onCancel}>
          {t('kiosk.cancel')}
        </Button>
        <Button
          size="xl"
          h={88}
          px={56}
          fz={30}
          leftSection={<IconCheck aria-hidden size={34} />}
          loading={signIn.isPending}
          onClick={() => {
            if (requireService && chosen.size === 0) setAskedForOne(true)
            else signIn.mutate()
          }}
        >
          {t('kiosk.signMeIn')}
        </Button>
      </Group>
    </Stack>
  )
}
