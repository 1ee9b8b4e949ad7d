import { Checkbox, Group, Kbd, NumberInput, Paper } from '@mantine/core'
import type { Ref } from 'react'
import { useTranslation } from 'react-i18next'
import type { CatalogService } from '../lib/types'

interface Props {
  service: CatalogService
  name: string
  /** 1–9: the digit that toggles it from the keyboard; null past the ninth. */
  shortcut: number | null
  quantity: number | null
  onChange: (quantity: number | null) => void
  checkboxRef?: Ref<HTMLInputElement>
}

export const MAX_QUANTITY = 99

/**
 * One service as a large card: a real checkbox (Space toggles it, and Enter still submits
 * the panel), the digit that toggles it, and a quantity once chosen if the service counts items.
 */
export function ServiceToggle({ service, name, shortcut, quantity, onChange, checkboxRef }: Props) {
  const { t } = useTranslation()
  const checked = quantity !== null
  return (
    <Paper withBorder radius="md" px="sm" py={4} className="pl-service" data-checked={checked} mih={54} display="flex">
      <Group justify="space-between" wrap="nowrap" gap="xs" w="100%">
        <Checkbox
          ref={checkboxRef}
          checked={checked}
          onChange={(event) => onChange(event.currentTarget.checked ? 1 : null)}
          aria-keyshortcuts={shortcut ? String(shortcut) : undefined}
          data-service-key={service.key}
          label={name}
          styles={{
            root: { flex: 1, alignSelf: 'stretch', display: 'flex' },
            body: { alignItems: 'center', flex: 1 },
            labelWrapper: { flex: 1, alignSelf: 'stretch', display: 'flex' },
            // The whole card width is the click target, not just the words.
            label: { cursor: 'pointer', fontSize: 'var(--mantine-font-size-md)', fontWeight: 500, flex: 1, display: 'flex', alignItems: 'center', minHeight: 44 },
          }}
        />
        {checked && service.hasQuantity ? (
          <NumberInput
            aria-label={t('checkin.quantityFor', { service: name })}
            value={quantity}
            onChange={(value) => onChange(typeof value === 'number' && value >= 1 ? Math.min(value, MAX_QUANTITY) : 1)}
            min={1}
            max={MAX_QUANTITY}
            allowDecimal={false}
            allowNegative={false}
            clampBehavior="strict"
            leftSection="×"
            // Arrow keys still step it; the tiny spinner buttons only crowd the card.
            hideControls
            w={84}
          />
        ) : null}
        {shortcut ? (
          <Kbd aria-hidden size="sm">
            {shortcut}
          </Kbd>
        ) : null}
      </Group>
    </Paper>
  )
}
