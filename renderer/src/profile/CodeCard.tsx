import { Button } from '@mantine/core'
import { IconPrinter } from '@tabler/icons-react'
import { createPortal } from 'react-dom'
import { useTranslation } from 'react-i18next'
import { useStatus } from '../hooks/queries'
import { usePrintSheet } from '../print/usePrintSheet'

/**
 * "Print code card": a wallet-size card with the center's name and the person's code, for the
 * kiosk's "the code on your card". Nothing else of the record goes on it: a lost card tells a
 * stranger only that the holder is known at some center.
 */
export function PrintCodeCard({ code }: { code: string }) {
  const { t } = useTranslation()
  const centerName = useStatus().data?.centerName ?? ''
  const printer = usePrintSheet<true>()
  return (
    <>
      <Button size="xs" variant="default" leftSection={<IconPrinter aria-hidden size={16} />} onClick={() => printer.print(true)}>
        {t('profile.printCard')}
      </Button>
      {/* On the page only while it prints: a sheet printed from the same profile (the recovery plan, a letter) must not carry the card too. */}
      {printer.sheet
        ? createPortal(
        <div className="pl-print-sheet pl-code-card" data-testid="code-card" aria-hidden>
          <p className="pl-code-card-center">{centerName}</p>
          <p className="pl-code-card-label">{t('profile.cardLabel')}</p>
          <p className="pl-code-card-code">{code}</p>
          <p className="pl-code-card-hint">{t('profile.cardHint')}</p>
        </div>,
            document.body,
          )
        : null}
    </>
  )
}
