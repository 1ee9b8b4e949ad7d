import { Group, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core'
import { IconCheck } from '@tabler/icons-react'
import { useMutation } from '@tanstack/react-query'
import { useEffect, useRef, useState, type FormEvent, type Ref } from 'react'
import { useTranslation } from 'react-i18next'
import type { InputOf, KioskAnswer, KioskFactor } from '../../../electron/ipc/contract'
import { invoke } from '../bridge'
import { Keypad, pressKey, type KeypadKey } from './Keypad'
import { KioskFooter } from './KioskFooter'
import { kioskProblem } from './problems'

interface Props {
  headingRef: Ref<HTMLHeadingElement>
  factors: KioskFactor[]
  onAnswer: (answer: KioskAnswer) => void
  onCancel: () => void
}

/** A month and day typed as four digits (0314) that exists in some year. */
function birthdayOf(digits: string): string | null {
  if (!/^\d{4}$/.test(digits)) return null
  const month = Number(digits.slice(0, 2))
  const day = Number(digits.slice(2))
  const days = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
  if (!days || day < 1 || day > days) return null
  return `${digits.slice(0, 2)}-${digits.slice(2)}`
}

/**
 * Step 3, only when the name and year fit more than one person: one more thing only they know
 * (their phone's last four digits, their birthday, or the code on their card). No choices are
 * ever shown, so nobody learns who else comes here; one answer, and if it does not settle it,
 * the desk helps.
 */
export function KioskAsk({ headingRef, factors, onAnswer, onCancel }: Props) {
  const { t } = useTranslation()
  const [factor, setFactor] = useState<KioskFactor>(factors[0] ?? 'code')
  const [digits, setDigits] = useState('')
  const [code, setCode] = useState('')
  const [error, setError] = useState<string | null>(null)
  const inputRef = useRef<HTMLInputElement>(null)
  useEffect(() => inputRef.current?.focus(), [factor])
  const verify = useMutation({ mutationFn: (input: InputOf<'kiosk.verify'>) => invoke('kiosk.verify', input) })

  function submit(event: FormEvent): void {
    event.preventDefault()
    if (verify.isPending) return
    let input: InputOf<'kiosk.verify'> | null
    if (factor === 'phone') input = /^\d{4}$/.test(digits) ? { phoneLast4: digits } : null
    else if (factor === 'birthday') {
      const birthday = birthdayOf(digits)
      input = birthday ? { birthday } : null
    } else input = code.trim().length >= 4 && /^[A-Za-z0-9\s-]+$/.test(code.trim()) ? { code: code.trim() } : null
    if (!input) {
      setError(factor === 'phone' ? t('kiosk.needPhone') : factor === 'birthday' ? t('kiosk.needBirthday') : t('kiosk.needCode'))
      return
    }
    setError(null)
    verify.mutate(input, { onSuccess: onAnswer })
  }

  function onKey(key: KeypadKey): void {
    setError(null)
    setDigits((value) => pressKey(value, key, 4))
    inputRef.current?.focus()
  }

  const problem = verify.error ? kioskProblem(t, verify.error) : null
  const label = factor === 'phone' ? t('kiosk.phoneLast4') : factor === 'birthday' ? t('kiosk.birthday') : t('kiosk.code')
  const hint = factor === 'phone' ? t('kiosk.phoneLast4Hint') : factor === 'birthday' ? t('kiosk.birthdayHint') : t('kiosk.codeHint')

  return (
    <form noValidate onSubmit={submit}>
      <Stack gap={24} maw={900} mx="auto" py={8}>
        <Stack gap={6}>
          <Title order={1} ref={headingRef} tabIndex={-1} className="pl-kiosk-title">
            {t('kiosk.askTitle')}
          </Title>
          <Text fz={24}>{t('kiosk.askIntro')}</Text>
        </Stack>
        {factors.length > 1 ? (
          <SegmentedControl
            aria-label={t('kiosk.askHow')}
            value={factor}
            onChange={(value) => {
              setFactor(value as KioskFactor)
              setDigits('')
              setError(null)
            }}
            data={factors.map((f) => ({ value: f, label: t(`kiosk.factor.${f}`) }))}
            size="xl"
            fullWidth
            styles={{ label: { minHeight: 68, display: 'flex', alignItems: 'center', justifyContent: 'center', fontSize: 22, fontWeight: 700, whiteSpace: 'normal' } }}
          />
        ) : null}
        {factor === 'code' ? (
          <TextInput
            ref={inputRef}
            label={label}
            description={hint}
            value={code}
            onChange={(event) => {
              setCode(event.currentTarget.value.toUpperCase())
              setError(null)
            }}
            error={error}
            autoComplete="off"
            spellCheck={false}
            maxLength={12}
            className="pl-kiosk-input pl-kiosk-code"
            inputWrapperOrder={['label', 'input', 'description', 'error']}
          />
        ) : (
          <Group align="flex-start" gap={40} wrap="wrap">
            <TextInput
              ref={inputRef}
              label={label}
              description={hint}
              value={digits}
              onChange={(event) => {
                setDigits(event.currentTarget.value.replace(/\D/g, '').slice(0, 4))
                setError(null)
              }}
              error={error}
              inputMode="none"
              autoComplete="off"
              maxLength={4}
              placeholder={factor === 'phone' ? '1234' : '0314'}
              className="pl-kiosk-input"
              style={{ flex: 1, minWidth: 320 }}
              inputWrapperOrder={['label', 'input', 'description', 'error']}
            />
            <Keypad onKey={onKey} label={t('kiosk.keypad')} />
          </Group>
        )}
        <KioskFooter problem={problem} submitLabel={t('kiosk.continue')} submitIcon={<IconCheck aria-hidden size={30} />} loading={verify.isPending} onCancel={onCancel} />
      </Stack>
    </form>
  )
}
