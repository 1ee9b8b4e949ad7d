import { Button, Modal, Radio, Stack, Text } from '@mantine/core'
import { useMutation } from '@tanstack/react-query'
import { IconPrinter } from '@tabler/icons-react'
import { useState } from 'react'
import { createPortal } from 'react-dom'
import { useTranslation } from 'react-i18next'
import type { PlanSheet } from '../../../electron/ipc/contract'
import { invoke } from '../bridge'
import { FormFooter } from '../components/FormFooter'
import i18n, { currentLanguage, LANGUAGES, loadLanguage, type Language } from '../i18n'
import { usePrintSheet } from '../print/usePrintSheet'
import { formatDay } from '../referrals/labels'

/**
 * The recovery plan on paper for the person to take home, in the language they read, whatever the
 * screen's language: printed through the same sheet as attendance letters (main audits each copy).
 */
export function PrintPlanButton({ participantId }: { participantId: number }) {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const printer = usePrintSheet<PlanSheet>()
  return (
    <>
      <Button variant="default" leftSection={<IconPrinter aria-hidden size={16} />} onClick={() => setOpen(true)}>
        {t('coaching.print.open')}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('coaching.print.title')} closeButtonProps={{ 'aria-label': t('common.close') }}>
        {open ? (
          <PrintForm
            participantId={participantId}
            onClose={() => setOpen(false)}
            onMade={(sheet) => {
              setOpen(false)
              printer.print(sheet)
            }}
          />
        ) : null}
      </Modal>
      {printer.sheet ? <PrintedPlan sheet={printer.sheet} /> : null}
    </>
  )
}

function PrintForm({ participantId, onClose, onMade }: { participantId: number; onClose: () => void; onMade: (sheet: PlanSheet) => void }) {
  const { t } = useTranslation()
  const [language, setLanguage] = useState<Language>(currentLanguage())
  const make = useMutation({
    mutationFn: async () => {
      // The sheet is worded in its own language, which the screen may not have read yet.
      await loadLanguage(language)
      return invoke('coaching.planSheet', { participantId, language })
    },
  })
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault()
        make.mutate(undefined, { onSuccess: onMade })
      }}
    >
      <Stack gap="sm">
        <Text size="sm">{t('coaching.print.help')}</Text>
        <Radio.Group label={t('coaching.print.language')} value={language} onChange={(v) => setLanguage(v as Language)}>
          <Stack gap={6} mt={6}>
            {LANGUAGES.map((l) => (
              <Radio key={l} value={l} label={t(`coaching.print.languages.${l}`)} />
            ))}
          </Stack>
        </Radio.Group>
        <FormFooter error={make.error} onCancel={onClose} submitLabel={t('coaching.print.save')} pending={make.isPending} />
      </Stack>
    </form>
  )
}

/** The sheet itself, worded in the plan's language. */
function PrintedPlan({ sheet }: { sheet: PlanSheet }) {
  const t = i18n.getFixedT(sheet.language)
  return createPortal(
    <div className="pl-print-sheet pl-letter" aria-hidden data-testid="printed-plan" lang={sheet.language}>
      <h1>{sheet.centerName}</h1>
      <h2>{t('coaching.print.heading', { name: sheet.name })}</h2>
      <p>
        {sheet.coach ? `${t('coaching.print.coach', { name: sheet.coach })} · ` : ''}
        {t('coaching.print.printedOn', { date: formatDay(sheet.printedOn, sheet.language) })}
      </p>
      {sheet.goals.length === 0 ? <p>{t('coaching.print.noGoals')}</p> : null}
      {sheet.goals.map((goal) => (
        <section key={goal.id}>
          <h3>
            {t(`coaching.areas.${goal.area}`)}: {goal.title}
          </h3>
          <p>{t('coaching.print.goalSince', { date: formatDay(goal.setOn, sheet.language), progress: t(`coaching.progress.${goal.progress}`) })}</p>
          <ul>
            {goal.steps.map((step) => (
              <li key={step.id}>
                {step.progress === 'done' ? '☑' : '☐'} {step.targetOn ? t('coaching.stepBy', { text: step.text, date: formatDay(step.targetOn, sheet.language) }) : step.text}
              </li>
            ))}
          </ul>
        </section>
      ))}
      <p className="pl-letter-sign">{t('coaching.print.yours')}</p>
    </div>,
    document.body,
  )
}
