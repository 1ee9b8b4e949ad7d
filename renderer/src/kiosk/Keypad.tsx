import { Button, SimpleGrid } from '@mantine/core'
import { IconBackspace } from '@tabler/icons-react'
import { useTranslation } from 'react-i18next'

export const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'back'] as const

/** Big digits for a year, a phone's last four or a birthday, so nobody needs the screen's keyboard for four numbers. */
export function Keypad({ onKey, label }: { onKey: (key: (typeof KEYS)[number]) => void; label: string }) {
  const { t } = useTranslation()
  return (
    <SimpleGrid cols={3} spacing={10} role="group" aria-label={label} maw={330}>
      {KEYS.map((key) => (
        <Button
          key={key}
          variant={key === 'clear' || key === 'back' ? 'default' : 'light'}
          color="porch"
          h={72}
          fz={key === 'clear' ? 18 : 32}
          px={4}
          fw={700}
          onClick={() => onKey(key)}
          aria-label={key === 'back' ? t('kiosk.keyBack') : key === 'clear' ? t('kiosk.keyClear') : key}
          className="pl-kiosk-key"
        >
          {key === 'back' ? <IconBackspace aria-hidden size={32} /> : key === 'clear' ? t('kiosk.keyClear') : key}
        </Button>
      ))}
    </SimpleGrid>
  )
}


export type KeypadKey = (typeof KEYS)[number]

/** The digits typed so far after a key: up to `length` of them. */
export function pressKey(value: string, key: KeypadKey, length: number): string {
  if (key === 'back') return value.slice(0, -1)
  if (key === 'clear') return ''
  return value.length < length ? value + key : value
}
