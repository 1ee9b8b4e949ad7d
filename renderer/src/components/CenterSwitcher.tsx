import { ActionIcon, Group, Menu, Text, Tooltip } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconArrowsExchange, IconBuildingCommunity, IconCheck } from '@tabler/icons-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { MyCenters } from '../../../electron/ipc/contract/centers'
import { useMyCenters, useSwitchCenter } from '../hooks/queries'
import { errorMessage } from '../lib/errors'
import { currentLanguage } from '../i18n'

/** The account's centers when it may work in more than one; null for a single-center account (which sees no change). */
export function useSeveralCenters(): MyCenters | null {
  const mine = useMyCenters()
  return mine.data && mine.data.centers.length > 1 ? mine.data : null
}

/**
 * In the header, beside the center's name, for an account granted more than one center: a menu of
 * its centers (arrow keys, Enter). The window's center lives in main; `onSwitched` lets the app
 * start its screens afresh there (a half-typed sign-in must not carry over to another center).
 */
export function CenterSwitcher({ mine, onSwitched }: { mine: MyCenters; onSwitched: () => void }) {
  const { t } = useTranslation()
  const change = useSwitchCenter()
  // The tooltip names the button; once its menu is open it would sit half behind the menu, so it gives way.
  const [open, setOpen] = useState(false)
  const pick = (id: number) => {
    if (id === mine.current.id) return
    change.mutate(id, {
      onSuccess: (now) => {
        onSwitched()
        notifications.show({ color: 'teal', message: t('centers.switched', { name: now.current.name }) })
      },
      onError: (error) => notifications.show({ color: 'red', message: errorMessage(t, currentLanguage(), error), autoClose: false }),
    })
  }
  return (
    <Menu position="bottom-start" withinPortal opened={open} onChange={setOpen}>
      {/* An icon beside the center's name (its words in the tooltip and the accessible name): the
          header has no room for a labelled button in Spanish without hiding the name itself. */}
      <Tooltip label={t('centers.switch')} disabled={open}>
        <Menu.Target>
          <ActionIcon variant="light" size={36} style={{ flexShrink: 0 }} loading={change.isPending} aria-label={t('centers.switchLabel', { name: mine.current.name })}>
            <IconArrowsExchange aria-hidden size={20} />
          </ActionIcon>
        </Menu.Target>
      </Tooltip>
      <Menu.Dropdown>
        <Menu.Label>{t('centers.workIn')}</Menu.Label>
        {mine.centers.map((center) => (
          <Menu.Item
            key={center.id}
            onClick={() => pick(center.id)}
            aria-current={center.id === mine.current.id ? 'true' : undefined}
            leftSection={center.id === mine.current.id ? <IconCheck aria-hidden size={16} /> : <span style={{ display: 'inline-block', width: 16 }} />}
          >
            {center.name}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  )
}

/** At the desk, for an account with several centers: which center a sign-in lands in, where the desk types. */
export function DeskCenterLine() {
  const { t } = useTranslation()
  const several = useSeveralCenters()
  if (!several) return null
  return (
    <Group gap={8} wrap="nowrap" mb="xs" data-testid="desk-center">
      <IconBuildingCommunity aria-hidden size={20} color="var(--mantine-color-porch-7)" />
      <Text fw={600}>{t('centers.deskAt', { name: several.current.name })}</Text>
    </Group>
  )
}
