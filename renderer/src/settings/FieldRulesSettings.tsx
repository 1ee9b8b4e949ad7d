import { Button, Group, SegmentedControl, Skeleton, Stack, Table, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconDeviceFloppy } from '@tabler/icons-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { FormAlert } from '../components/FormAlert'
import { useFieldRules, useSetFieldRules } from '../hooks/queries'
import { FIELD_NAMES, type FieldRule, type FieldRules } from '../lib/fields'

/** A table of fields × Hidden / Optional / Required; saved together. */
export function FieldRulesSettings() {
  const rules = useFieldRules()
  if (rules.isPending) return <Skeleton h={400} />
  if (rules.isError) return <FormAlert error={rules.error} />
  // Keyed by the saved rules, so a save (or someone else's) starts the form again from them.
  return <FieldRulesForm key={JSON.stringify(rules.data)} saved={rules.data} />
}

function FieldRulesForm({ saved }: { saved: FieldRules }) {
  const { t } = useTranslation()
  const save = useSetFieldRules()
  const [draft, setDraft] = useState<FieldRules>(saved)
  const dirty = FIELD_NAMES.some((name) => draft[name] !== saved[name])

  const ruleLabel: Record<FieldRule, string> = {
    hidden: t('settings.ruleHidden'),
    optional: t('settings.ruleOptional'),
    required: t('settings.ruleRequired'),
  }

  return (
    <Stack gap="md" maw={820}>
      <Text c="dimmed">{t('settings.fieldsIntro')}</Text>
      <Table verticalSpacing="xs" fz="md" aria-label={t('settings.fieldsTable')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('settings.field')}</Table.Th>
            <Table.Th scope="col">{t('settings.rule')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {FIELD_NAMES.map((name) => (
            <Table.Tr key={name}>
              <Table.Th scope="row" fw={500} c={draft[name] === 'hidden' ? 'dimmed' : undefined}>
                {t(`settings.fieldNames.${name}`)}
                {draft[name] !== saved[name] ? (
                  <Text span size="xs" c="porch.8" ml={8}>
                    {t('settings.changed')}
                  </Text>
                ) : null}
              </Table.Th>
              <Table.Td>
                <SegmentedControl
                  aria-label={t('settings.ruleFor', { field: t(`settings.fieldNames.${name}`) })}
                  value={draft[name]}
                  onChange={(value) => setDraft((previous) => ({ ...previous, [name]: value as FieldRule }))}
                  data={(['hidden', 'optional', 'required'] as const).map((rule) => ({ value: rule, label: ruleLabel[rule] }))}
                  color={draft[name] === 'required' ? 'porch' : undefined}
                  styles={{ label: { minHeight: 36, display: 'flex', alignItems: 'center', justifyContent: 'center', paddingInline: 14 } }}
                />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <FormAlert error={save.error} />
      <Group justify="flex-end">
        <Button variant="default" disabled={!dirty} onClick={() => setDraft(saved)}>
          {t('settings.discard')}
        </Button>
        <Button
          leftSection={<IconDeviceFloppy aria-hidden size={18} />}
          disabled={!dirty}
          loading={save.isPending}
          onClick={() =>
            save.mutate(draft, {
              onSuccess: () => notifications.show({ color: 'green', title: t('settings.savedTitle'), message: t('settings.fieldsSaved') }),
            })
          }
        >
          {t('settings.saveFields')}
        </Button>
      </Group>
    </Stack>
  )
}
