import { Button, Stack, Text, Title } from '@mantine/core'
import { IconCircleCheck } from '@tabler/icons-react'
import { useEffect, type Ref } from 'react'
import { useTranslation } from 'react-i18next'

export const DONE_MS = 8_000

/** The last step: "Welcome, Marisol!" (the name they typed), then back to the start by itself after a few seconds. */
export function KioskDone({ headingRef, name, onFinish }: { headingRef: Ref<HTMLHeadingElement>; name: string | null; onFinish: () => void }) {
  const { t } = useTranslation()
  useEffect(() => {
    const timer = window.setTimeout(onFinish, DONE_MS)
    return () => window.clearTimeout(timer)
  }, [onFinish])
  return (
    <Stack align="center" gap={32} py={60} role="status">
      <IconCircleCheck aria-hidden size={120} color="var(--mantine-color-green-8)" />
      <Title order={1} ref={headingRef} tabIndex={-1} className="pl-kiosk-title" ta="center">
        {name ? t('kiosk.welcomeName', { name }) : t('kiosk.welcome')}
      </Title>
      <Text fz={28} ta="center">
        {t('kiosk.doneBody')}
      </Text>
      <Button size="xl" h={80} px={56} fz={28} onClick={onFinish}>
        {t('kiosk.done')}
      </Button>
    </Stack>
  )
}
