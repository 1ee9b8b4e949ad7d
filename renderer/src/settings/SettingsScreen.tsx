import { Paper, Stack, Tabs, Text, Title } from '@mantine/core'
import { IconClock, IconClockHour4, IconCloudDownload, IconForms, IconListDetails, IconLock } from '@tabler/icons-react'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { GroupSettingsPanel } from '../groups/GroupSettingsPanel'
import { FieldRulesSettings } from './FieldRulesSettings'
import { RetentionSettings } from './RetentionSettings'
import { CenterSettings } from './CenterSettings'
import { SecuritySettings } from './SecuritySettings'
import { ServiceCatalogSettings } from './ServiceCatalogSettings'
import { UpdateSettings } from '../updates/UpdateSettings'

/** Admin settings: the services the desk records, which registration fields the center asks for, the center itself (name, clock, hours, kiosk), security, and how long it keeps records. */
export function SettingsScreen() {
  const { t } = useTranslation()
  const headingId = useId()
  const [tab, setTab] = useState<string | null>('services')
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={headingId}>
      <Stack gap="md">
        <Title order={1} size="h3" id={headingId}>
          {t('settings.title')}
        </Title>
        <Text c="dimmed">{t('settings.scopeIntro')}</Text>
        <Tabs value={tab} onChange={setTab} keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="services" leftSection={<IconListDetails aria-hidden size={18} />}>
              {t('settings.tabServices')}
            </Tabs.Tab>
            <Tabs.Tab value="fields" leftSection={<IconForms aria-hidden size={18} />}>
              {t('settings.tabFields')}
            </Tabs.Tab>
            <Tabs.Tab value="center" leftSection={<IconClock aria-hidden size={18} />}>
              {t('settings.tabCenter')}
            </Tabs.Tab>
            <Tabs.Tab value="security" leftSection={<IconLock aria-hidden size={18} />}>
              {t('settings.tabSecurity')}
            </Tabs.Tab>
            <Tabs.Tab value="retention" leftSection={<IconClockHour4 aria-hidden size={18} />}>
              {t('settings.tabRetention')}
            </Tabs.Tab>
            <Tabs.Tab value="updates" leftSection={<IconCloudDownload aria-hidden size={18} />}>
              {t('updates.tab')}
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="services" pt="md">
            <Stack gap="lg">
              <ServiceCatalogSettings />
              <GroupSettingsPanel />
            </Stack>
          </Tabs.Panel>
          <Tabs.Panel value="fields" pt="md">
            <FieldRulesSettings />
          </Tabs.Panel>
          <Tabs.Panel value="center" pt="md">
            <CenterSettings />
          </Tabs.Panel>
          <Tabs.Panel value="security" pt="md">
            <SecuritySettings />
          </Tabs.Panel>
          <Tabs.Panel value="retention" pt="md">
            <RetentionSettings />
          </Tabs.Panel>
          <Tabs.Panel value="updates" pt="md">
            <UpdateSettings />
          </Tabs.Panel>
        </Tabs>
      </Stack>
    </Paper>
  )
}
