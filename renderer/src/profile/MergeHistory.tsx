import { Badge, Button, Group, Modal, Paper, Stack, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconArrowBackUp, IconExternalLink } from '@tabler/icons-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { FormAlert } from '../components/FormAlert'
import { useUndoMerge } from '../hooks/queries'
import { currentLanguage } from '../i18n'
import { formatDate, formatTime } from '../lib/format'
import type { MergeRecord, ParticipantDetails } from '../lib/types'

interface Props {
  person: ParticipantDetails
  merges: MergeRecord[]
  canUndo: boolean
  onOpenOther: (id: number) => void
}

/** Each merge this person took part in, newest first; a standing merge can be undone. */
export function MergeHistory({ person, merges, canUndo, onOpenOther }: Props) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const [undoing, setUndoing] = useState<MergeRecord | null>(null)
  const undo = useUndoMerge()

  if (merges.length === 0) return <Text c="dimmed">{t('merge.none')}</Text>

  const when = (iso: string) => `${formatDate(iso, language)} ${formatTime(iso, language)}`
  return (
    <Stack gap="sm">
      {merges.map((merge) => {
        const kept = merge.keptId === person.id
        return (
          <Paper key={merge.id} withBorder radius="md" p="md" data-testid="merge-record">
            <Group justify="space-between" align="flex-start" wrap="nowrap">
              <Stack gap={4}>
                <Group gap="xs">
                  <Text fw={600}>
                    {kept ? t('merge.recordMergedIn', { code: merge.mergedCode }) : t('merge.recordMergedAway')}
                  </Text>
                  {merge.undoneAt ? (
                    <Badge color="gray" variant="outline" radius="sm" tt="none" fw={600}>
                      {t('merge.undoneBadge')}
                    </Badge>
                  ) : null}
                </Group>
                <Text size="sm" c="dimmed">
                  {t('merge.by', { when: when(merge.mergedAt), name: merge.mergedByName ?? '—' })} ·{' '}
                  {t('merge.visitsMoved', { count: merge.movedVisitIds.length })}
                </Text>
                {merge.note ? <Text size="sm">“{merge.note}”</Text> : null}
                {merge.undoneAt ? (
                  <Text size="sm" c="dimmed">
                    {t('merge.undoneBy', { when: when(merge.undoneAt), name: merge.undoneByName ?? '—' })}
                  </Text>
                ) : null}
              </Stack>
              <Group gap="xs" wrap="nowrap">
                {!kept || merge.undoneAt ? (
                  <Button
                    variant="subtle"
                    leftSection={<IconExternalLink aria-hidden size={16} />}
                    onClick={() => onOpenOther(kept ? merge.mergedId : merge.keptId)}
                  >
                    {t('merge.openOther')}
                  </Button>
                ) : null}
                {canUndo && !merge.undoneAt ? (
                  <Button variant="default" leftSection={<IconArrowBackUp aria-hidden size={18} />} onClick={() => setUndoing(merge)}>
                    {t('merge.undo')}
                  </Button>
                ) : null}
              </Group>
            </Group>
          </Paper>
        )
      })}
      <Modal
        opened={undoing !== null}
        onClose={() => {
          undo.reset()
          setUndoing(null)
        }}
        title={t('merge.undoTitle')}
        centered
        closeButtonProps={{ 'aria-label': t('common.close') }}
        styles={{ title: { fontWeight: 700, fontSize: 'var(--mantine-font-size-lg)' } }}
      >
        <Stack gap="md">
          <Text>{undoing ? t('merge.undoBody', { code: undoing.mergedCode, count: undoing.movedVisitIds.length }) : null}</Text>
          <FormAlert error={undo.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setUndoing(null)}>
              {t('common.cancel')}
            </Button>
            <Button
              data-autofocus
              leftSection={<IconArrowBackUp aria-hidden size={18} />}
              loading={undo.isPending}
              onClick={() => {
                if (!undoing) return
                undo.mutate(undoing.id, {
                  onSuccess: () => {
                    notifications.show({ color: 'green', title: t('merge.undoneTitle'), message: t('merge.undoneMessage', { code: undoing.mergedCode }) })
                    setUndoing(null)
                  },
                })
              }}
            >
              {t('merge.undoConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  )
}
