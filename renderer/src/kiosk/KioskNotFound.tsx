import { Button, Group, Stack, Text, Title } from '@mantine/core'
import type { Ref } from 'react'
import { useTranslation } from 'react-i18next'

interface Props {
  headingRef: Ref<HTMLHeadingElement>
  /** 'none': nobody fits what was typed; 'desk': it cannot be settled here. */
  kind: 'none' | 'desk'
  onBack: () => void
  onCancel: () => void
}

/** Nobody found, or not for sure: a calm word and the desk; never a hint of who else is on file. */
export function KioskNotFound({ headingRef, kind, onBack, onCancel }: Props) {
  const { t } = useTranslation()
  return (
    <Stack gap={28} maw={900} mx="auto" py={20}>
      <Title order={1} ref={headingRef} tabIndex={-1} className="pl-kiosk-title">
        {kind === 'none' ? t('kiosk.noneTitle') : t('kiosk.deskTitle')}
      </Title>
      <Text fz={26}>{kind === 'none' ? t('kiosk.noneBody') : t('kiosk.deskBody')}</Text>
      <Group justify="space-between" className="pl-kiosk-actions">
        <Button variant="default" size="xl" h={72} fz={24} onClick={onCancel}>
          {t('kiosk.cancel')}
        </Button>
        {kind === 'none' ? (
          <Button variant="light" size="xl" h={72} fz={24} onClick={onBack}>
            {t('kiosk.tryAgain')}
          </Button>
        ) : null}
      </Group>
    </Stack>
  )
}
