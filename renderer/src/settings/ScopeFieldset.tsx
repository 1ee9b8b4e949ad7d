import { Fieldset, Group, Stack, Text } from '@mantine/core'
import { IconBuildingCommunity, IconDeviceDesktop } from '@tabler/icons-react'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { LEGEND } from '../components/PassphraseFieldset'

/** Where a setting is kept: on this computer only, or in the records every PC of the center shares. */
export type SettingScope = 'pc' | 'center'

/**
 * Groups settings under who they apply to, so an admin on the kiosk tablet knows that the reset
 * they change stays on the tablet, and that the center's name changes on every PC.
 */
export function ScopeFieldset({ scope, children }: { scope: SettingScope; children: ReactNode }) {
  const { t } = useTranslation()
  const Icon = scope === 'pc' ? IconDeviceDesktop : IconBuildingCommunity
  return (
    <Fieldset
      variant="unstyled"
      styles={LEGEND}
      legend={
        <Group gap={6} component="span">
          <Icon aria-hidden size={18} />
          {scope === 'pc' ? t('settings.scopePc') : t('settings.scopeCenter')}
        </Group>
      }
    >
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {scope === 'pc' ? t('settings.scopePcHint') : t('settings.scopeCenterHint')}
        </Text>
        {children}
      </Stack>
    </Fieldset>
  )
}

