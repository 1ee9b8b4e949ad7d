import { Button, Modal, Stack, TextInput } from '@mantine/core'
import { IconLock } from '@tabler/icons-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { FormAlert } from '../components/FormAlert'
import { SecretInput } from '../components/SecretInput'
import { useKioskExit } from '../hooks/queries'
import { useCredentialsForm } from '../hooks/useCredentialsForm'

/** A small, quiet "Staff" button in the corner: a staff member signs in here to take the screen back. */
export function KioskStaffExit() {
  const { t } = useTranslation()
  const [opened, setOpened] = useState(false)
  const exit = useKioskExit()
  const { form, submit } = useCredentialsForm(exit.mutate)
  const close = () => {
    setOpened(false)
    form.reset()
    exit.reset()
  }
  return (
    <>
      <Button
        variant="subtle"
        color="gray"
        className="pl-kiosk-staff"
        leftSection={<IconLock aria-hidden size={18} />}
        onClick={() => setOpened(true)}
        size="md"
      >
        {t('kiosk.staff')}
      </Button>
      <Modal
        opened={opened}
        onClose={close}
        title={t('kiosk.staffTitle')}
        centered
        size="sm"
        closeButtonProps={{ 'aria-label': t('common.close') }}
        styles={{ title: { fontWeight: 700, fontSize: 'var(--mantine-font-size-lg)' } }}
      >
        <form noValidate onSubmit={submit}>
          <Stack>
            <TextInput label={t('login.username')} autoComplete="username" data-autofocus {...form.getInputProps('username')} />
            <SecretInput label={t('login.password')} autoComplete="current-password" {...form.getInputProps('password')} />
            <FormAlert error={exit.error} />
            <Button type="submit" loading={exit.isPending}>
              {t('kiosk.staffSubmit')}
            </Button>
          </Stack>
        </form>
      </Modal>
    </>
  )
}
