import { Alert, Button, Checkbox, Group, Modal, Stack, Text, Title } from '@mantine/core'
import { IconKey, IconPrinter } from '@tabler/icons-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { FormAlert } from '../components/FormAlert'
import { SecretInput } from '../components/SecretInput'
import { useNewRecoveryKey, useStatus } from '../hooks/queries'
import { KeyPanel, PrintSheet } from '../screens/RecoveryKeyScreen'

/**
 * The recovery key cannot be shown again, but an admin can replace it: the database is
 * re-encrypted under a fresh key and the new recovery key is shown here once, to print.
 */
export function NewRecoveryKey() {
  const { t } = useTranslation()
  const status = useStatus()
  const make = useNewRecoveryKey()
  const [asking, setAsking] = useState(false)
  const [passphrase, setPassphrase] = useState('')
  const [written, setWritten] = useState(false)
  const needsPassphrase = status.data?.keyProtection === 'passphrase'
  const shown = make.data?.recoveryKey ?? null
  const close = () => {
    // Dropping the mutation's data drops the key: it is never shown again.
    make.reset()
    setAsking(false)
    setPassphrase('')
    setWritten(false)
  }
  return (
    <Stack gap="sm">
      <Title order={2} size="h4">
        {t('newKey.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('newKey.intro')}
      </Text>
      <Group>
        <Button variant="default" leftSection={<IconKey aria-hidden size={18} />} onClick={() => setAsking(true)}>
          {t('newKey.start')}
        </Button>
      </Group>
      <Modal
        opened={asking}
        onClose={shown ? () => undefined : close}
        withCloseButton={!shown}
        closeOnEscape={!shown}
        closeOnClickOutside={!shown}
        title={t('newKey.title')}
        centered
        size="lg"
        closeButtonProps={{ 'aria-label': t('common.close') }}
        styles={{ title: { fontWeight: 700, fontSize: 'var(--mantine-font-size-lg)' } }}
      >
        {shown ? (
          <Stack gap="md">
            <KeyPanel recoveryKey={shown} testId="new-recovery-key" />
            <Alert color="yellow" variant="light" icon={<IconKey aria-hidden />}>
              {t('newKey.oldInvalid')}
            </Alert>
            <Group>
              {/* Paper only, as at setup (screens/RecoveryKeyScreen.tsx): a key saved as a file beside the database defeats it. */}
              <Button variant="default" leftSection={<IconPrinter aria-hidden size={18} />} onClick={() => window.print()}>
                {t('recovery.print')}
              </Button>
            </Group>
            <Checkbox label={t('recovery.confirm')} checked={written} onChange={(event) => setWritten(event.currentTarget.checked)} />
            <Button disabled={!written} onClick={close} w="fit-content">
              {t('newKey.done')}
            </Button>
            <PrintSheet recoveryKey={shown} centerName={status.data?.centerName ?? ''} />
          </Stack>
        ) : (
          <Stack gap="md">
            <Text>{t('newKey.explain')}</Text>
            <Text>{t('newKey.backupsNote')}</Text>
            {needsPassphrase ? <SecretInput label={t('setup.passphrase')} value={passphrase} onChange={(event) => setPassphrase(event.currentTarget.value)} /> : null}
            <FormAlert error={make.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('common.cancel')}
              </Button>
              <Button data-autofocus leftSection={<IconKey aria-hidden size={18} />} loading={make.isPending} onClick={() => make.mutate(needsPassphrase ? passphrase : undefined)}>
                {t('newKey.confirm')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  )
}
