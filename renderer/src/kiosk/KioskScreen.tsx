import '../all-styles'
import { Box, Button, Group, Stack, Text, Title } from '@mantine/core'
import { IconLogin2, IconPlugConnectedX } from '@tabler/icons-react'
import { useCallback, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { LanguageToggle } from '../components/LanguageToggle'
import { useStatus } from '../hooks/queries'
import { currentLanguage, setLanguage } from '../i18n'
import type { KioskAnswer, KioskFactor } from '../../../electron/ipc/contract'
import { KioskAsk } from './KioskAsk'
import { KioskDone } from './KioskDone'
import { KioskFind } from './KioskFind'
import { KioskNotFound } from './KioskNotFound'
import { KioskServices } from './KioskServices'
import { KioskStaffExit } from './KioskStaffExit'
import { useIdleReset } from './useIdleReset'

type Step =
  | { kind: 'start' }
  | { kind: 'find' }
  | { kind: 'ask'; factors: KioskFactor[]; name: string | null }
  | { kind: 'none' | 'desk' }
  | { kind: 'services'; name: string | null }
  | { kind: 'done'; name: string | null }

/**
 * Self check-in on a touch screen: sign in → find yourself (first name with birth year or
 * phone, or your code) → when that fits more than one person, one more thing only you know →
 * the services you came for → "Welcome, Marisol!" (the name you typed) → back to the start. The
 * screen never shows a name the person did not type, nor a choice between people. Nothing else is reachable: no navigation, no other
 * records. After the center's kiosk reset time without a touch (Settings → Center; 30 seconds by default), any step goes back to the start (and to the
 * screen's own language).
 */
export function KioskScreen({ centerName, resetSeconds }: { centerName: string; resetSeconds: number }) {
  const { t } = useTranslation()
  const [step, setStep] = useState<Step>({ kind: 'start' })
  // A new number each time the flow starts over, so every step's inputs start empty.
  const [round, setRound] = useState(0)
  const headingRef = useRef<HTMLHeadingElement>(null)
  // The screen's own language: whoever switched to the other one, the next person starts here.
  const [homeLanguage] = useState(currentLanguage)

  const reset = useCallback(() => {
    setStep({ kind: 'start' })
    setRound((n) => n + 1)
    void setLanguage(homeLanguage)
  }, [homeLanguage])
  useIdleReset(step.kind !== 'start', resetSeconds * 1000, reset)
  // The center's server gone: the kiosk sends people to the desk (which has the paper sheet) and,
  // once it is back, starts again from the welcome (whoever was half-way has gone to the desk).
  const serverLost = useStatus().data?.serverLost === true
  useEffect(() => {
    if (!serverLost) return
    // Back to the start, in the language the person chose (the message is for them; the idle
    // reset brings the screen's own language back). On the next tick: an effect does not set state itself.
    const timer = window.setTimeout(() => {
      setStep({ kind: 'start' })
      setRound((n) => n + 1)
    }, 0)
    return () => window.clearTimeout(timer)
  }, [serverLost])

  // Each step's heading takes the focus, so a screen reader says where the person now is; the
  // search step instead puts the cursor in the first name, ready to type.
  useEffect(() => {
    if (step.kind !== 'find') headingRef.current?.focus()
  }, [step.kind])

  /** Where a look-up's answer leads; `name` is what the person typed (null for a code). */
  const follow = useCallback((answer: KioskAnswer, name: string | null) => {
    if (answer.kind === 'found') setStep({ kind: 'services', name })
    else if (answer.kind === 'ask') setStep({ kind: 'ask', factors: answer.factors, name })
    else setStep({ kind: answer.kind })
  }, [])

  return (
    <Box className="pl-kiosk" mih="100vh">
      <Group component="header" justify="space-between" px="xl" py="md" className="pl-kiosk-bar">
        <Text fw={700} fz={26} c="porch.9">
          {centerName || t('app.name')}
        </Text>
        <Group gap="md" wrap="nowrap">
          <KioskStaffExit />
          <LanguageToggle large />
        </Group>
      </Group>
      <Box component="main" className="pl-kiosk-main" key={round}>
        {serverLost ? (
          <Stack align="center" gap={32} py={60} role="alert">
            <IconPlugConnectedX aria-hidden size={72} color="var(--mantine-color-orange-7)" />
            <Title order={1} className="pl-kiosk-title" ta="center">
              {t('kiosk.serverLostTitle')}
            </Title>
            <Text fz={26} ta="center" maw={720}>
              {t('kiosk.serverLostBody')}
            </Text>
          </Stack>
        ) : step.kind === 'start' ? (
          <Stack align="center" gap={40} py={60}>
            <Title order={1} ref={headingRef} tabIndex={-1} className="pl-kiosk-title" ta="center">
              {t('kiosk.welcome')}
            </Title>
            <Text fz={26} ta="center" maw={720}>
              {t('kiosk.intro')}
            </Text>
            <Button
              size="xl"
              className="pl-kiosk-primary"
              leftSection={<IconLogin2 aria-hidden size={36} />}
              onClick={() => setStep({ kind: 'find' })}
              h={110}
              px={60}
              fz={36}
            >
              {t('kiosk.start')}
            </Button>
          </Stack>
        ) : step.kind === 'find' ? (
          <KioskFind headingRef={headingRef} onAnswer={follow} onCancel={reset} />
        ) : step.kind === 'ask' ? (
          <KioskAsk headingRef={headingRef} factors={step.factors} onAnswer={(answer) => follow(answer.kind === 'ask' ? { kind: 'desk' } : answer, step.name)} onCancel={reset} />
        ) : step.kind === 'none' || step.kind === 'desk' ? (
          <KioskNotFound headingRef={headingRef} kind={step.kind} onBack={() => setStep({ kind: 'find' })} onCancel={reset} />
        ) : step.kind === 'services' ? (
          <KioskServices headingRef={headingRef} name={step.name} onDone={() => setStep({ kind: 'done', name: step.name })} onCancel={reset} />
        ) : step.kind === 'done' ? (
          <KioskDone headingRef={headingRef} name={step.name} onFinish={reset} />
        ) : null}
      </Box>
    </Box>
  )
}
