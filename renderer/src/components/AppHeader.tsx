import { Button, Group, Menu, Modal, Text, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconChevronDown, IconKey, IconLock, IconLogout, IconUserCircle } from '@tabler/icons-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useLogout, useSessionLock } from '../hooks/queries'
import { ChangePasswordForm } from '../staff/ChangePasswordForm'
import type { Staff } from '../lib/types'
import { AboutButton } from '../about/AboutButton'
import { LanguageToggle } from './LanguageToggle'
import { CenterSwitcher, useSeveralCenters } from './CenterSwitcher'

/**
 * Center, who is signed in, language, sign out: everything the desk needs to know about the session.
 * An account granted several centers sees the one this window works in, and a switcher beside it.
 */
export function AppHeader({ centerName, staff, onCenterSwitched }: { centerName: string; staff: Staff; onCenterSwitched: () => void }) {
  const { t } = useTranslation()
  const several = useSeveralCenters()
  const logout = useLogout()
  const lock = useSessionLock()
  const [changing, setChanging] = useState(false)
  const signedInAs = t('header.signedInAs', { name: staff.displayName, role: t(`roles.${staff.role}`) })
  return (
    <Group h="100%" px="lg" gap="md" wrap="nowrap">
      <Group gap="sm" wrap="nowrap" miw={0} style={{ flexShrink: 1 }}>
        <Text fw={700} c="porch.8" size="lg" visibleFrom="sm">
          {t('app.name')}
        </Text>
        <Text c="gray.4" aria-hidden visibleFrom="sm">
          |
        </Text>
        <Title order={1} size="h4" fw={600} lineClamp={1}>
          {several ? several.current.name : centerName}
        </Title>
        {several ? <CenterSwitcher mine={several} onSwitched={onCenterSwitched} /> : null}
      </Group>
      {/* Who is signed in is a menu under their name (with the rarer "change password" in it), so the
          name stays on screen in every language; the center's name gives way first. */}
      <Group gap="md" wrap="nowrap" ml="auto" style={{ flexShrink: 0 }}>
        <AboutButton />
        <LanguageToggle />
        <Button variant="default" leftSection={<IconLock aria-hidden size={18} />} loading={lock.isPending} onClick={() => lock.mutate()}>
          {t('header.lock')}
        </Button>
      </Group>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button
            variant="subtle"
            color="gray"
            maw={300}
            style={{ flexShrink: 0 }}
            aria-label={signedInAs}
            leftSection={<IconUserCircle aria-hidden size={20} />}
            rightSection={<IconChevronDown aria-hidden size={16} />}
          >
            <Text span inherit truncate="end">
              {staff.displayName}
            </Text>
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>{signedInAs}</Menu.Label>
          <Menu.Item leftSection={<IconKey aria-hidden size={18} />} onClick={() => setChanging(true)}>
            {t('header.changePassword')}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <Button variant="default" leftSection={<IconLogout aria-hidden size={18} />} loading={logout.isPending} onClick={() => logout.mutate()} style={{ flexShrink: 0 }}>
        {t('header.signOut')}
      </Button>
      <Modal opened={changing} onClose={() => setChanging(false)} title={t('password.title')} size="md" closeButtonProps={{ 'aria-label': t('common.close') }}>
        <ChangePasswordForm
          onCancel={() => setChanging(false)}
          onDone={() => {
            setChanging(false)
            notifications.show({ message: t('password.changed'), color: 'teal' })
          }}
        />
      </Modal>
    </Group>
  )
}
