import { Alert, Box, Button, Group, Text } from '@mantine/core'
import type { CSSProperties } from 'react'
import { notifications } from '@mantine/notifications'
import { IconCheck, IconPlugConnectedX, IconPrinter } from '@tabler/icons-react'
import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef } from 'react'
import { createPortal } from 'react-dom'
import { useTranslation } from 'react-i18next'
import { useStatus } from '../hooks/queries'
import { currentLanguage } from '../i18n'
import { formatDate } from '../lib/format'
import { usePrintSheet } from '../print/usePrintSheet'

/** The paper sheet's columns: what the desk enters from it once the server is back. */
const COLUMNS = ['serverLost.sheetName', 'serverLost.sheetTime', 'serverLost.sheetServices', 'serverLost.sheetInitials'] as const

/** Opaque, so the screen scrolling beneath does not show through the light alert. */
const STUCK: CSSProperties = {
  position: 'sticky',
  top: 'calc(var(--app-shell-header-height, 64px) + var(--mantine-spacing-xs))',
  zIndex: 150,
  background: 'var(--mantine-color-body)',
  borderRadius: 'var(--mantine-radius-md)',
  boxShadow: 'var(--mantine-shadow-md)',
}

/** Lines on the paper sheet: a busy morning's worth. */
const SHEET_LINES = 22

/**
 * While the center's server does not answer: says so above every screen (what to check, and that
 * what was typed stays), offers the paper sign-in sheet, and says when the server is back. Main
 * probes the server and the status follows (hooks/queries/app.ts polls it meanwhile); nothing
 * typed is sent later on its own, so a sign-in is only ever made by someone pressing the button.
 */
export function ServerLostBanner() {
  const { t } = useTranslation()
  const status = useStatus().data
  const lost = status?.serverLost === true
  const sheet = usePrintSheet<true>()
  const client = useQueryClient()
  const wasLost = useRef(false)
  useEffect(() => {
    if (lost) {
      wasLost.current = true
      return
    }
    if (!wasLost.current) return
    wasLost.current = false
    // Screens that failed while it was gone read again.
    void client.invalidateQueries({ predicate: (query) => query.state.status === 'error' })
    notifications.show({
      title: t('serverLost.backTitle'),
      message: t('serverLost.back'),
      color: 'green',
      closeButtonProps: { 'aria-label': t('common.dismiss'), size: 'xl' },
      icon: <IconCheck aria-hidden size={18} />,
    })
  }, [lost, client, t])
  if (!lost) return sheet.sheet ? <PaperSheet centerName={status?.centerName ?? ''} /> : null
  return (
    <>
      {/* Sticky under the header: the desk is usually scrolled to its check-in panel when this
          appears, and the browser keeps that scroll, which would leave a banner above out of sight. */}
      <Box mb="md" style={STUCK}>
        <Alert color="orange" variant="light" role="alert" icon={<IconPlugConnectedX aria-hidden />} title={t('serverLost.title')}>
          {/* One row beside the button where it fits, so the desk below moves down as little as possible. */}
          <Group gap="sm" align="flex-end" wrap="wrap">
            <Text size="sm" style={{ flex: '1 1 32rem', overflowWrap: 'anywhere' }}>
              {t('serverLost.body', { server: status?.server ?? '' })}
            </Text>
            <Button variant="default" leftSection={<IconPrinter aria-hidden size={18} />} onClick={() => sheet.print(true)}>
              {t('serverLost.print')}
            </Button>
          </Group>
        </Alert>
      </Box>
      {sheet.sheet ? <PaperSheet centerName={status?.centerName ?? ''} /> : null}
    </>
  )
}

/**
 * The desk's paper fallback: the center, today's date and blank lines (no one's name is printed:
 * the records cannot be read, and a sheet left on the counter must not say who came). Outside
 * #root, so the print stylesheet shows it alone.
 */
function PaperSheet({ centerName }: { centerName: string }) {
  const { t } = useTranslation()
  return createPortal(
    <div className="pl-print-sheet pl-signin-sheet pl-desk-sheet" aria-hidden data-testid="desk-signin-sheet">
      <h1>{t('serverLost.sheetTitle')}</h1>
      <p>{[centerName, formatDate(new Date().toISOString(), currentLanguage())].filter(Boolean).join(' · ')}</p>
      <p>{t('serverLost.sheetNote')}</p>
      <table>
        <thead>
          <tr>
            {COLUMNS.map((column) => (
              <th key={column} scope="col">
                {t(column)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: SHEET_LINES }, (_, line) => (
            <tr key={line}>{COLUMNS.map((column) => <td key={column} />)}</tr>
          ))}
        </tbody>
      </table>
    </div>,
    document.body,
  )
}
