import { Alert, Button, Group, List, Modal, NumberInput, SegmentedControl, Skeleton, Stack, Switch, Table, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconDeviceFloppy, IconEraser, IconListSearch } from '@tabler/icons-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { formatWhen } from '../backups/BackupsScreen'
import { FormAlert } from '../components/FormAlert'
import { useApplyRetention, useRetention, useRetentionDryRun, useSaveRetention } from '../hooks/queries'
import { currentLanguage } from '../i18n'
import { formatDate } from '../lib/format'
import type { RetentionPolicy, RetentionPreview } from '../lib/types'

/** The retention policy: off by default; a dry run shows what it would touch before anything is applied. */
export function RetentionSettings() {
  const state = useRetention()
  if (state.isPending) return <Skeleton h={300} />
  if (state.isError) return <FormAlert error={state.error} />
  return <RetentionForm key={JSON.stringify(state.data.policy)} saved={state.data.policy} lastRun={state.data.lastRun} />
}

function RetentionForm({ saved, lastRun }: { saved: RetentionPolicy; lastRun: string | null }) {
  const { t } = useTranslation()
  const [draft, setDraft] = useState<RetentionPolicy>(saved)
  const save = useSaveRetention()
  const dryRun = useRetentionDryRun()
  const apply = useApplyRetention()
  const [confirming, setConfirming] = useState<RetentionPreview | null>(null)
  const dirty = JSON.stringify(draft) !== JSON.stringify(saved)
  const yearsValid = Number.isInteger(draft.years) && draft.years >= 1 && draft.years <= 50
  const preview = dryRun.data

  return (
    <Stack gap="md" maw={820}>
      <Text c="dimmed">{t('retention.intro')}</Text>
      <Switch
        label={t('retention.enabled')}
        description={t('retention.enabledHint')}
        checked={draft.enabled}
        onChange={(event) => setDraft({ ...draft, enabled: event.currentTarget.checked })}
      />
      <NumberInput
        label={t('retention.years')}
        description={t('retention.yearsHint')}
        min={1}
        max={50}
        allowDecimal={false}
        maw={260}
        value={draft.years}
        error={yearsValid ? null : t('retention.yearsInvalid')}
        onChange={(value) => setDraft({ ...draft, years: typeof value === 'number' ? value : Number(value) })}
      />
      <Stack gap={4}>
        <Text size="sm" fw={500} id="retention-mode">
          {t('retention.mode')}
        </Text>
        <SegmentedControl
          aria-labelledby="retention-mode"
          value={draft.mode}
          onChange={(value) => setDraft({ ...draft, mode: value as RetentionPolicy['mode'] })}
          data={[
            { value: 'deidentify', label: t('retention.modeDeidentify') },
            { value: 'purge', label: t('retention.modePurge') },
          ]}
          w="fit-content"
        />
        <Text size="sm" c="dimmed">
          {draft.mode === 'purge' ? t('retention.purgeHint') : t('retention.deidentifyHint')}
        </Text>
      </Stack>
      <Text size="sm">{lastRun ? t('retention.lastRun', { when: formatWhen(lastRun) }) : t('retention.neverRun')}</Text>
      <FormAlert error={save.error ?? dryRun.error} />
      <Group justify="flex-end">
        <Button
          variant="default"
          leftSection={<IconListSearch aria-hidden size={18} />}
          disabled={!yearsValid}
          loading={dryRun.isPending}
          onClick={() => dryRun.mutate({ years: draft.years, mode: draft.mode })}
        >
          {t('retention.dryRun')}
        </Button>
        <Button
          leftSection={<IconDeviceFloppy aria-hidden size={18} />}
          disabled={!dirty || !yearsValid}
          loading={save.isPending}
          onClick={() =>
            save.mutate(draft, {
              onSuccess: () => notifications.show({ color: 'green', title: t('settings.savedTitle'), message: t('retention.saved') }),
            })
          }
        >
          {t('retention.save')}
        </Button>
      </Group>
      {preview ? <DryRunResult preview={preview} /> : null}
      {preview ? (
        <Group justify="flex-end">
          <Button
            color="red"
            leftSection={<IconEraser aria-hidden size={18} />}
            disabled={!saved.enabled || dirty || preview.people === 0 || preview.policy.years !== saved.years || preview.policy.mode !== saved.mode}
            onClick={() => setConfirming(preview)}
          >
            {t('retention.applyNow')}
          </Button>
        </Group>
      ) : null}
      {preview && (!saved.enabled || dirty) ? (
        <Text size="sm" c="dimmed">
          {t('retention.saveFirst')}
        </Text>
      ) : null}
      <Modal
        opened={confirming !== null}
        onClose={() => {
          apply.reset()
          setConfirming(null)
        }}
        title={t('retention.confirmTitle')}
        centered
        closeButtonProps={{ 'aria-label': t('common.close') }}
        styles={{ title: { fontWeight: 700, fontSize: 'var(--mantine-font-size-lg)' } }}
      >
        {confirming ? (
          <Stack gap="md">
            <Text>{t('retention.confirmBody', { count: confirming.people })}</Text>
            <Alert color="yellow" variant="light">
              {t('retention.confirmNote')}
            </Alert>
            <FormAlert error={apply.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirming(null)}>
                {t('common.cancel')}
              </Button>
              <Button
                color="red"
                loading={apply.isPending}
                onClick={() =>
                  apply.mutate(confirming.people, {
                    onSuccess: (result) => {
                      setConfirming(null)
                      dryRun.reset()
                      notifications.show({ color: 'green', title: t('retention.appliedTitle'), message: t('retention.applied', { count: result.people }) })
                    },
                  })
                }
              >
                {t('retention.confirm')}
              </Button>
            </Group>
          </Stack>
        ) : null}
      </Modal>
    </Stack>
  )
}

function DryRunResult({ preview }: { preview: RetentionPreview }) {
  const { t } = useTranslation()
  const rows: Array<[string, number]> = [
    [t('retention.countPeople'), preview.people],
    [t('retention.countMerged'), preview.mergedRecords],
    [t('retention.countVisits'), preview.visits],
    [t('retention.countNotes'), preview.visitNotes],
    [t('retention.countChanges'), preview.visitChanges],
    [t('retention.countReferrals'), preview.referrals],
    [t('retention.countConsents'), preview.consents],
    [t('retention.countAssessments'), preview.assessments],
  ]
  return (
    <Stack gap="xs" aria-live="polite">
      <Text fw={600}>{t('retention.dryRunHeading', { date: formatDate(preview.cutoff, currentLanguage()) })}</Text>
      <Table verticalSpacing={4} aria-label={t('retention.dryRunTable')} maw={520}>
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th scope="row" fw={500}>
                {label}
              </Table.Th>
              <Table.Td ta="right">{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <List size="sm" c="dimmed">
        <List.Item>{t('retention.keptNote')}</List.Item>
      </List>
    </Stack>
  )
}
