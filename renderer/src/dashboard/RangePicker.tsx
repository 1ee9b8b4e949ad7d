import { Button, Group, Select, TextInput } from '@mantine/core'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { RangeRequest } from '../hooks/queries'

export const PRESETS = ['this_month', 'last_month', 'this_quarter', 'last_quarter', 'this_year', 'last_12_months'] as const

/**
 * The range every figure counts: a preset (computed in main from its clock, in the center's
 * zone) or two days of the manager's choosing. A custom range is sent only when both days are
 * filled and it is applied; main says what is wrong with it (reversed, not started, too long).
 */
export function RangePicker({ value, onChange }: { value: RangeRequest; onChange: (range: RangeRequest) => void }) {
  const { t } = useTranslation()
  const custom = 'from' in value
  const [from, setFrom] = useState(custom ? value.from : '')
  const [to, setTo] = useState(custom ? value.to : '')
  const [choice, setChoice] = useState<string>(custom ? 'custom' : value.preset)
  const complete = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to)
  return (
    <Group gap="xs" align="flex-end" wrap="wrap">
      <Select
        label={t('dashboard.range')}
        value={choice}
        allowDeselect={false}
        w={200}
        data={[...PRESETS.map((preset) => ({ value: preset, label: t(`dashboard.presets.${preset}`) })), { value: 'custom', label: t('dashboard.presets.custom') }]}
        onChange={(next) => {
          if (!next) return
          setChoice(next)
          if (next !== 'custom') onChange({ preset: next as (typeof PRESETS)[number] })
        }}
      />
      {choice === 'custom' ? (
        <form
          onSubmit={(event) => {
            event.preventDefault()
            if (complete) onChange({ from, to })
          }}
        >
          <Group gap="xs" align="flex-end">
            <TextInput type="date" label={t('dashboard.from')} value={from} onChange={(event) => setFrom(event.currentTarget.value)} w={160} />
            <TextInput type="date" label={t('dashboard.to')} value={to} onChange={(event) => setTo(event.currentTarget.value)} w={160} />
            <Button type="submit" variant="light" disabled={!complete}>
              {t('dashboard.apply')}
            </Button>
          </Group>
        </form>
      ) : null}
    </Group>
  )
}
