import { Button, Group, Modal, Text, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconKey, IconLock, IconLogout } from '@tabler/icons-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useLogout, useSessionLock } from '../hooks/queries'
import { ChangePasswordForm } from '../staff/ChangePasswordForm'
import type { Staff } from '../lib/types'
import { AboutButton } from '../about/AboutDialog'
import { LanguageToggle } from './LanguageToggle'

/** Center, who is signed in, language, sign out: everything the desk needs to know about the session. */
export function AppHeader({ centerName, staff }: { centerName: string; staff: Staff }) {
  const { t } = useTranslation()
  const logout = useLogout()
  const lock = useSessionLock()
  const [changing, setChanging] = useState(false)
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
          {centerName}
        </Title>
      </Group>
      {/* When the row is short of room (in Spanish above all) "Signed in as …" gives way long before the
          center's name, and the buttons never do: none is cut off or drawn over another. */}
      <Group gap="md" wrap="nowrap" miw={0} ml="auto" style={{ flexShrink: 1000 }}>
        <Text size="sm" c="gray.7" truncate="end" miw={0}>
          {t('header.signedInAs', { name: staff.displayName, role: t(`roles.${staff.role}`) })}
        </Text>
      </Group>
      <Group gap="md" wrap="nowrap" style={{ flexShrink: 0 }}>
        <AboutButton />
        <LanguageToggle />
        <Button variant="default" leftSection={<IconLock aria-hidden size={18} />} loading={lock.isPending} onClick={() => lock.mutate()}>
          {t('header.lock')}
        </Button>
        <Button variant="default" leftSection={<IconKey aria-hidden size={18} />} onClick={() => setChanging(true)}>
          {t('header.changePassword')}
        </Button>
        <Button variant="default" leftSection={<IconLogout aria-hidden size={18} />} loading={logout.isPending} onClick={() => logout.mutate()}>
          {t('header.signOut')}
        </Button>
      </Group>
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
