import { Button } from '@mantine/core'
import { IconPrinter } from '@tabler/icons-react'
import { createPortal } from 'react-dom'
import { useTranslation } from 'react-i18next'
import { useStatus } from '../hooks/queries'

/**
 * "Print code card": a wallet-size card with the center's name and the person's code, for the
 * kiosk's "the code on your card". Nothing else of the record goes on it: a lost card tells a
 * stranger only that the holder is known at some center.
 */
export function PrintCodeCard({ code }: { code: string }) {
  const { t } = useTranslation()
  const centerName = useStatus().data?.centerName ?? ''
  return (
    <>
      <Button size="xs" variant="default" leftSection={<IconPrinter aria-hidden size={16} />} onClick={() => window.print()}>
        {t('profile.printCard')}
      </Button>
      {/* Shown only by the print stylesheet, and only while this profile is open. */}
      {createPortal(
        <div className="pl-print-sheet pl-code-card" data-testid="code-card" aria-hidden>
          <p className="pl-code-card-center">{centerName}</p>
          <p className="pl-code-card-label">{t('profile.cardLabel')}</p>
          <p className="pl-code-card-code">{code}</p>
          <p className="pl-code-card-hint">{t('profile.cardHint')}</p>
        </div>,
        document.body,
      )}
    </>
  )
}
