import { Alert, Badge, Checkbox, Group, Stack, Text } from '@mantine/core'
import { IconHandStop } from '@tabler/icons-react'
import { useTranslation } from 'react-i18next'
import { useCheckInNotice } from '../hooks/queries'
import type { CheckInNotice as Notice } from '../../../electron/ipc/contract'

interface Props {
  participantId: number
  /** Managers and admins may sign the person in after seeing them: the checkbox is theirs only. */
  mayOverride: boolean
  override: boolean
  onOverride: (override: boolean) => void
}

/** The banner's id: the disabled "Sign in" button points to it for why. */
export const NOTICE_ID = 'pl-checkin-ask-manager'

/**
 * What the desk must know before signing this person in: a calm request to ask a manager (never
 * why: main does not send it) and the person's care flags, one short line each.
 */
export function CheckInNotice({ participantId, mayOverride, override, onOverride }: Props) {
  const notice = useCheckInNotice(participantId).data
  if (!notice || (!notice.askManager && notice.flags.length === 0)) return null
  return <NoticeBody notice={notice} mayOverride={mayOverride} override={override} onOverride={onOverride} />
}

function NoticeBody({ notice, mayOverride, override, onOverride }: Omit<Props, 'participantId'> & { notice: Notice }) {
  const { t } = useTranslation()
  return (
    <Stack gap="xs" data-testid="checkin-notice">
      {/* The flags first: one short row, so they stay in view above the banner on a small screen. */}
      {notice.flags.length > 0 ? (
        <Group gap="xs" role="list" aria-label={t('careFlags.listLabel')}>
          {notice.flags.map((flag) => (
            <Badge key={flag.id} role="listitem" size="lg" variant="light" color="grape" radius="sm" tt="none">
              {flag.note ? t('careFlags.withNote', { kind: t(`careFlags.kinds.${flag.kind}`), note: flag.note }) : t(`careFlags.kinds.${flag.kind}`)}
            </Badge>
          ))}
        </Group>
      ) : null}
      {notice.askManager ? (
        <Alert id={NOTICE_ID} color="blue" variant="light" icon={<IconHandStop aria-hidden />} title={t('restrictions.bannerTitle')} role="status">
          {mayOverride ? (
            <Stack gap="xs">
              {t('restrictions.bannerText')}
              <Checkbox
                label={t('restrictions.overrideLabel')}
                checked={override}
                onChange={(event) => onOverride(event.currentTarget.checked)}
              />
            </Stack>
          ) : (
            // One paragraph: in Spanish, in the desk's narrow column, a second one pushed the banner's
            // end under the panel's sticky buttons at 1366×768.
            <Text size="sm">
              {t('restrictions.bannerText')} <span>{t('restrictions.signInOff')}</span>
            </Text>
          )}
        </Alert>
      ) : null}
    </Stack>
  )
}
