import '../all-styles'
import { Anchor, Box, Button, Center, Paper, Portal, Stack, Text, TextInput, Title } from '@mantine/core'
import { useForm } from '@mantine/form'
import { IconLock } from '@tabler/icons-react'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { FormAlert } from '../components/FormAlert'
import { LanguageToggle } from '../components/LanguageToggle'
import { SecretInput } from '../components/SecretInput'
import { useSessionUnlock, useSwitchUser } from '../hooks/queries'
import { useCredentialsForm } from '../hooks/useCredentialsForm'
import { focusField, focusFirstError } from '../lib/forms'
import type { Staff } from '../lib/types'

/**
 * The idle lock: an opaque layer over the app, which stays mounted beneath it so a half-typed
 * form is still there after unlocking. Everything else on the page (the app, open drawers and
 * dialogs in their portals) is made inert while it shows, so neither the mouse nor Tab reaches it.
 */
export function LockScreen({ staff, centerName }: { staff: Staff; centerName: string }) {
  const { t } = useTranslation()
  const layer = useRef<HTMLDivElement>(null)
  const [switching, setSwitching] = useState(false)

  useEffect(() => {
    const own = layer.current
    const made: HTMLElement[] = []
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null
    // The lock is portalled to the end of <body>: everything before it (the app, other portals) goes inert.
    for (const child of Array.from(document.body.children)) {
      if (child instanceof HTMLElement && own && !child.contains(own) && !child.inert) {
        child.inert = true
        made.push(child)
      }
    }
    // Whatever had the focus beneath is now out of reach; the password field takes it.
    own?.querySelector<HTMLInputElement>('input[type="password"]')?.focus()
    return () => {
      for (const child of made) child.inert = false
      // Back where the person was typing.
      before?.focus()
    }
  }, [])

  return (
    <Portal>
    <Box
      ref={layer}
      role="dialog"
      aria-modal="true"
      aria-labelledby="pl-lock-title"
      pos="fixed"
      inset={0}
      bg="gray.1"
      style={{ zIndex: 10_000, overflow: 'auto' }}
    >
      <Box pos="absolute" top={12} right={16}>
        <LanguageToggle />
      </Box>
      <Center mih="100%" p="md">
        <Paper withBorder shadow="sm" radius="lg" p="xl" w="100%" maw={420}>
          <Stack gap="lg">
            <Stack gap={4} align="center">
              <IconLock aria-hidden size={32} />
              <Title order={1} size="h2" id="pl-lock-title">
                {t('lock.title')}
              </Title>
              <Text c="dimmed" ta="center">
                {centerName}
              </Text>
            </Stack>
            {switching ? <SwitchUserForm onBack={() => setSwitching(false)} /> : <UnlockForm staff={staff} onSwitch={() => setSwitching(true)} />}
          </Stack>
        </Paper>
      </Center>
    </Box>
    </Portal>
  )
}

function UnlockForm({ staff, onSwitch }: { staff: Staff; onSwitch: () => void }) {
  const { t } = useTranslation()
  const unlock = useSessionUnlock()
  const form = useForm({
    initialValues: { password: '' },
    validate: { password: (value) => (value ? null : t('validation.required', { what: t('validation.what.password') })) },
  })
  const submit = form.onSubmit(
    ({ password }) =>
      unlock.mutate(password, {
        onError: () => {
          form.setFieldValue('password', '')
          focusField('password')
        },
      }),
    focusFirstError,
  )
  return (
    <form noValidate onSubmit={submit}>
      <Stack>
        <Text>{t('lock.intro', { name: staff.displayName })}</Text>
        <SecretInput label={t('login.password')} autoComplete="current-password" autoFocus required {...form.getInputProps('password')} />
        <FormAlert error={unlock.error} />
        <Button type="submit" loading={unlock.isPending}>
          {t('lock.unlock')}
        </Button>
        <Anchor component="button" type="button" onClick={onSwitch} ta="center">
          {t('lock.someoneElse', { name: staff.displayName })}
        </Anchor>
      </Stack>
    </form>
  )
}

/** Another staff member signs in here instead; the first is signed out and their unsaved work goes. */
function SwitchUserForm({ onBack }: { onBack: () => void }) {
  const { t } = useTranslation()
  const login = useSwitchUser()
  const { form, submit } = useCredentialsForm(login.mutate)
  return (
    <form noValidate onSubmit={submit}>
      <Stack>
        <Text size="sm" c="dimmed">
          {t('lock.switchIntro')}
        </Text>
        <TextInput label={t('login.username')} autoComplete="username" autoFocus required {...form.getInputProps('username')} />
        <SecretInput label={t('login.password')} autoComplete="current-password" required {...form.getInputProps('password')} />
        <FormAlert error={login.error} />
        <Button type="submit" loading={login.isPending}>
          {t('login.submit')}
        </Button>
        <Anchor component="button" type="button" onClick={onBack} ta="center">
          {t('lock.back')}
        </Anchor>
      </Stack>
    </form>
  )
}
