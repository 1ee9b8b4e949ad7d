import { Fieldset, Stack, Text } from '@mantine/core'
import type { GetInputPropsReturnType } from '@mantine/form'
import { useTranslation } from 'react-i18next'
import { SecretInput } from './SecretInput'

/** Section names read as headings above the fields they group (first-run setup's forms). */
export const LEGEND = { legend: { fontWeight: 700, fontSize: 'var(--mantine-font-size-md)', color: 'var(--mantine-color-porch-8)', marginBottom: 6 } }

/** First run where the OS cannot keep a secret: the passphrase Porchlight will ask for at each start, typed twice. */
export function PassphraseFieldset({ intro, passphrase, confirm }: { intro: string; passphrase: GetInputPropsReturnType; confirm: GetInputPropsReturnType }) {
  const { t } = useTranslation()
  return (
    <Fieldset legend={t('setup.passphraseSection')} variant="unstyled" styles={LEGEND}>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {intro}
        </Text>
        <SecretInput label={t('setup.passphrase')} autoComplete="new-password" required {...passphrase} />
        <SecretInput label={t('setup.confirmPassphrase')} autoComplete="new-password" required {...confirm} />
      </Stack>
    </Fieldset>
  )
}
