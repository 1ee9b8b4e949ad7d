import { Alert, Button, Group, SegmentedControl, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core'
import { IconBackspace, IconSearch } from '@tabler/icons-react'
import { useMutation } from '@tanstack/react-query'
import { useEffect, useRef, useState, type FormEvent, type Ref } from 'react'
import { useTranslation } from 'react-i18next'
import type { InputOf } from '../../../electron/ipc/contract'
import { invoke, isApiError } from '../bridge'
import type { KioskMatch } from '../lib/types'

interface Props {
  headingRef: Ref<HTMLHeadingElement>
  onFound: (matches: KioskMatch[]) => void
  onCancel: () => void
}

type Mode = 'name' | 'code'

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'back'] as const

/** Big digits for the birth year, so nobody needs the screen's keyboard for four numbers. */
function Keypad({ onKey, label }: { onKey: (key: (typeof KEYS)[number]) => void; label: string }) {
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

/** Step 2: find yourself by first name and birth year, or by the code on your card. */
export function KioskFind({ headingRef, onFound, onCancel }: Props) {
  const { t } = useTranslation()
  const [mode, setMode] = useState<Mode>('name')
  const [firstName, setFirstName] = useState('')
  const [year, setYear] = useState('')
  const [code, setCode] = useState('')
  const [errors, setErrors] = useState<{ firstName?: string; year?: string; code?: string }>({})
  const yearRef = useRef<HTMLInputElement>(null)
  const firstRef = useRef<HTMLInputElement>(null)
  const codeRef = useRef<HTMLInputElement>(null)
  useEffect(() => {
    ;(mode === 'name' ? firstRef : codeRef).current?.focus()
  }, [mode])
  // Not cached: what the kiosk finds is asked for afresh and forgotten with the step.
  const find = useMutation({ mutationFn: (input: InputOf<'kiosk.find'>) => invoke('kiosk.find', input) })

  function submit(event: FormEvent): void {
    event.preventDefault()
    if (find.isPending) return
    const found: typeof errors = {}
    if (mode === 'name') {
      if (!firstName.trim()) found.firstName = t('kiosk.needFirstName')
      const y = Number(year)
      if (!/^\d{4}$/.test(year) || y < 1900 || y > new Date().getFullYear()) found.year = t('kiosk.needYear')
    } else if (code.trim().length < 4) {
      found.code = t('kiosk.needCode')
    }
    setErrors(found)
    if (Object.keys(found).length > 0) return
    find.mutate(mode === 'name' ? { firstName: firstName.trim(), birthYear: Number(year) } : { code: code.trim() }, { onSuccess: onFound })
  }

  function onKey(key: (typeof KEYS)[number]): void {
    setErrors((previous) => ({ ...previous, year: undefined }))
    if (key === 'back') setYear((y) => y.slice(0, -1))
    else if (key === 'clear') setYear('')
    else setYear((y) => (y.length < 4 ? y + key : y))
    yearRef.current?.focus()
  }

  const problem = find.error ? (isApiError(find.error, 'VALIDATION') || isApiError(find.error, 'INVALID_INPUT') ? find.error.message : t('kiosk.findFailed')) : null

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
            setErrors({})
            find.reset()
          }}
          data={[
            { value: 'name', label: t('kiosk.byName') },
            { value: 'code', label: t('kiosk.byCode') },
          ]}
          size="xl"
          fullWidth
          styles={{ label: { minHeight: 68, display: 'flex', alignItems: 'center', justifyContent: 'center', fontSize: 24, fontWeight: 700 } }}
        />
        {mode === 'name' ? (
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
                ref={yearRef}
                label={t('kiosk.birthYear')}
                description={t('kiosk.birthYearHint')}
                value={year}
                onChange={(event) => {
                  setYear(event.currentTarget.value.replace(/\D/g, '').slice(0, 4))
                  setErrors((previous) => ({ ...previous, year: undefined }))
                }}
                error={errors.year}
                inputMode="none"
                autoComplete="off"
                maxLength={4}
                placeholder="1984"
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
        {problem ? (
          <Alert color="red" variant="light" role="alert" styles={{ message: { fontSize: 22 } }}>
            {problem}
          </Alert>
        ) : null}
        <Group justify="space-between" className="pl-kiosk-actions">
          <Button variant="default" size="xl" h={72} fz={24} onClick={onCancel}>
            {t('kiosk.cancel')}
          </Button>
          <Button type="submit" size="xl" h={80} px={48} fz={28} leftSection={<IconSearch aria-hidden size={30} />} loading={find.isPending}>
            {t('kiosk.findMe')}
          </Button>
        </Group>
        <Text fz={20} c="dimmed" ta="center">
          {t('kiosk.askDesk')}
        </Text>
      </Stack>
    </form>
  )
}
