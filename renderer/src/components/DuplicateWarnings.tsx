import { Alert, Button, Group, Stack, Text } from '@mantine/core'
import { IconAlertTriangle, IconUserCheck, IconUserPlus } from '@tabler/icons-react'
import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import type { DuplicateCandidate, DuplicateReason } from '../lib/types'
import { shortName } from '../lib/format'

/** Same name and birth year, or the same phone: likely the same person. A similar name alone is a hint. */
export function isStrong(candidate: DuplicateCandidate): boolean {
  return candidate.reasons.some((reason) => reason !== 'similar_name')
}

export function reasonsText(t: TFunction, reasons: readonly DuplicateReason[]): string {
  return reasons.map((reason) => t(`duplicates.reason.${reason}`)).join(t('duplicates.and'))
}

interface Props {
  candidates: DuplicateCandidate[]
  /** The desk tried to register anyway: say that a choice is needed. */
  choiceNeeded: boolean
  onUse: (candidate: DuplicateCandidate) => void
  onDismiss: (id: number) => void
}

/**
 * "Possible match: Mike R., born 1979 — same name and birth year", with the two answers the
 * desk can give. Announced politely as it appears, so a screen reader user hears it too.
 */
export function DuplicateWarnings({ candidates, choiceNeeded, onUse, onDismiss }: Props) {
  const { t } = useTranslation()
  return (
    <div aria-live="polite">
      {candidates.length > 0 ? (
        <Stack gap="xs">
          {candidates.map((candidate, index) => {
            const who = [shortName(candidate), candidate.birthYear ? t('duplicates.born', { year: candidate.birthYear }) : null]
              .filter(Boolean)
              .join(', ')
            return (
              <Alert
                key={candidate.id}
                color={isStrong(candidate) ? 'yellow' : 'gray'}
                variant="light"
                icon={<IconAlertTriangle aria-hidden />}
                role="group"
                aria-label={t('duplicates.label', { name: who })}
                styles={{ message: { color: 'var(--mantine-color-text)' } }}
              >
                <Stack gap="xs">
                  <Text fw={600} data-testid="duplicate-warning">
                    {t('duplicates.possibleMatch', { who, reasons: reasonsText(t, candidate.reasons) })}
                  </Text>
                  <Text size="sm" c="dimmed">
                    {t('duplicates.details', { code: candidate.code })}
                    {candidate.phoneLast4 ? ` · ${t('search.phone', { last4: candidate.phoneLast4 })}` : ''}
                  </Text>
                  <Group gap="xs">
                    <Button
                      size="sm"
                      leftSection={<IconUserCheck aria-hidden size={18} />}
                      onClick={() => onUse(candidate)}
                      data-duplicate-choice={index === 0 ? '' : undefined}
                    >
                      {t('duplicates.use')}
                    </Button>
                    <Button size="sm" variant="default" leftSection={<IconUserPlus aria-hidden size={18} />} onClick={() => onDismiss(candidate.id)}>
                      {t('duplicates.someoneNew')}
                    </Button>
                  </Group>
                </Stack>
              </Alert>
            )
          })}
          {choiceNeeded ? (
            <Text c="red.8" size="sm" fw={500} role="alert">
              {t('duplicates.chooseFirst')}
            </Text>
          ) : null}
        </Stack>
      ) : null}
    </div>
  )
}
