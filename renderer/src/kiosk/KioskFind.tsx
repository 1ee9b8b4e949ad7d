import { Group, SegmentedControl, Stack, TextInput, Title } from '@mantine/core'
import { IconSearch } from '@tabler/icons-react'
import { useMutation } from '@tanstack/react-query'
import { useEffect, useRef, useState, type FormEvent, type Ref } from 'react'
import { useTranslation } from 'react-i18next'
import type { InputOf, KioskAnswer } from '../../../electron/ipc/contract'
import { invoke } from '../bridge'
import { Keypad, pressKey, type KeypadKey } from './Keypad'
import { KioskFooter } from './KioskFooter'
import { kioskProblem } from './problems'

interface Props {
  headingRef: Ref<HTMLHeadingElement>
  /** The answer, and the name as the person typed it (null when they used their code). */
  onAnswer: (answer: KioskAnswer, typedName: string | null) => void
  onCancel: () => void
}

type Mode = 'year' | 'phone' | 'code'

/** Letters of any alphabet, spaces, apostrophes, dots and dashes: the same rule main applies. */
const NAME = /^[\p{L}\p{M}][\p{L}\p{M}\s'’.-]*$/u

/** "marisol" greets as "Marisol": capitals at word starts, nothing the person did not type. */
function greetingName(typed: string): string {
  return typed.replace(/(^|[\s'’.-])(\p{Ll})/gu, (_whole, before: string, letter: string) => before + letter.toLocaleUpperCase())
}

/** Step 2: find yourself by first name with birth year or phone, or by the code on your card. */
export function KioskFind({ headingRef, onAnswer, onCancel }: Props) {
  const { t } = useTranslation()
  const [mode, setMode] = useState<Mode>('year')
  const [firstName, setFirstName] = useState('')
  const [digits, setDigits] = useState('')
  const [code, setCode] = useState('')
  const [errors, setErrors] = useState<{ firstName?: string; digits?: string; code?: string }>({})
  const digitsRef = useRef<HTMLInputElement>(null)
  const firstRef = useRef<HTMLInputElement>(null)
  const codeRef = useRef<HTMLInputElement>(null)
  useEffect(() => {
    ;(mode === 'code' ? codeRef : firstRef).current?.focus()
  }, [mode])
  // Not cached: what the kiosk finds is asked for afresh and forgotten with the step.
  const find = useMutation({ mutationFn: (input: InputOf<'kiosk.find'>) => invoke('kiosk.find', input) })

  function submit(event: FormEvent): void {
    event.preventDefault()
    if (find.isPending) return
    const found: typeof errors = {}
    const name = firstName.trim()
    if (mode !== 'code') {
      if (name.length < 2) found.firstName = t('kiosk.needFirstName')
      else if (!NAME.test(name)) found.firstName = t('kiosk.lettersOnly')
      const year = Number(digits)
      if (mode === 'year' && (!/^\d{4}$/.test(digits) || year < 1900 || year > new Date().getFullYear())) found.digits = t('kiosk.needYear')
      if (mode === 'phone' && !/^\d{4}$/.test(digits)) found.digits = t('kiosk.needPhone')
    } else if (code.trim().length < 4) {
      found.code = t('kiosk.needCode')
    } else if (!/^[A-Za-z0-9\s-]+$/.test(code.trim())) {
      found.code = t('kiosk.codeLettersDigits')
    }
    setErrors(found)
    if (Object.keys(found).length > 0) return
    const input: InputOf<'kiosk.find'> =
      mode === 'code' ? { code: code.trim() } : mode === 'year' ? { firstName: name, birthYear: Number(digits) } : { firstName: name, phoneLast4: digits }
    find.mutate(input, { onSuccess: (answer) => onAnswer(answer, mode === 'code' ? null : greetingName(name)) })
  }

  function onKey(key: KeypadKey): void {
    setErrors((previous) => ({ ...previous, digits: undefined }))
    setDigits((value) => pressKey(value, key, 4))
    digitsRef.current?.focus()
  }

  const problem = find.error ? kioskProblem(t, find.error) : null

  return (
    <form noValidate onSubmit={submit}>
      <Stack gap={24} maw={900} mx="auto" py={8}>
        <Title order={1} ref={headingRef} tabIndex={-1} className="pl-kiosk-title">
          {t('kiosk.findTitle')}
        </Title>
        <SegmentedControl
          aria-label={t('kiosk.findHow')}
          value={mode}
          onChange={(value) => {
            setMode(value as Mode)
            setDigits('')
            setErrors({})
            find.reset()
          }}
          data={[
            { value: 'year', label: t('kiosk.byName') },
            { value: 'phone', label: t('kiosk.byPhone') },
            { value: 'code', label: t('kiosk.byCode') },
          ]}
          size="xl"
          fullWidth
          styles={{ label: { minHeight: 68, display: 'flex', alignItems: 'center', justifyContent: 'center', fontSize: 22, fontWeight: 700, whiteSpace: 'normal' } }}
        />
        {mode !== 'code' ? (
          <Group align="flex-start" gap={40} wrap="wrap">
            <Stack gap={24} style={{ flex: 1, minWidth: 320 }}>
              <TextInput
                label={t('kiosk.firstName')}
                value={firstName}
                onChange={(event) => {
                  setFirstName(event.currentTarget.value)
                  setErrors((previous) => ({ ...previous, firstName: undefined }))
                }}
                error={errors.firstName}
                autoComplete="off"
                autoCapitalize="words"
                spellCheck={false}
                maxLength={60}
                className="pl-kiosk-input"
                ref={firstRef}
              />
              <TextInput
                ref={digitsRef}
                label={mode === 'year' ? t('kiosk.birthYear') : t('kiosk.phoneLast4')}
                description={mode === 'year' ? t('kiosk.birthYearHint') : t('kiosk.phoneLast4Hint')}
                value={digits}
                onChange={(event) => {
                  setDigits(event.currentTarget.value.replace(/\D/g, '').slice(0, 4))
                  setErrors((previous) => ({ ...previous, digits: undefined }))
                }}
                error={errors.digits}
                inputMode="none"
                autoComplete="off"
                maxLength={4}
                placeholder={mode === 'year' ? '1984' : '1234'}
                className="pl-kiosk-input"
                inputWrapperOrder={['label', 'input', 'description', 'error']}
              />
            </Stack>
            <Keypad onKey={onKey} label={t('kiosk.keypad')} />
          </Group>
        ) : (
          <TextInput
            label={t('kiosk.code')}
            description={t('kiosk.codeHint')}
            value={code}
            onChange={(event) => {
              setCode(event.currentTarget.value.toUpperCase())
              setErrors({})
            }}
            error={errors.code}
            autoComplete="off"
            spellCheck={false}
            maxLength={12}
            className="pl-kiosk-input pl-kiosk-code"
            ref={codeRef}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
          />
        )}
        <KioskFooter problem={problem} submitLabel={t('kiosk.findMe')} submitIcon={<IconSearch aria-hidden size={30} />} loading={find.isPending} onCancel={onCancel} />
      </Stack>
    </form>
  )
}
