import { Text } from '@mantine/core'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useLiveState } from '../hooks/live'

/** How long "Updated" stays after a change from elsewhere. */
const SHOWN_MS = 6_000

/**
 * A small, calm cue beside a live screen's title (`watch`: cueKey's of what it shows): "Updated" for a few seconds when another PC (or
 * another window) changed what it shows, and a quiet note while changes are being checked for
 * every few seconds instead of arriving. Read out politely by screen readers, never stealing focus.
 */
export function UpdatedCue({ watch }: { watch: readonly string[] }) {
  const { t } = useTranslation()
  const { live, seen } = useLiveState()
  const count = watch.reduce((sum, key) => sum + (seen[key] ?? 0), 0)
  const first = useRef(count)
  const [shown, setShown] = useState(false)
  useEffect(() => {
    // Changes seen before this screen opened are not news to it.
    if (count === first.current) return
    setShown(true)
    const timer = setTimeout(() => setShown(false), SHOWN_MS)
    return () => clearTimeout(timer)
  }, [count])
  return (
    <Text size="sm" c="dimmed" role="status" aria-live="polite" data-testid="updated-cue">
      {/* While changes are not pushed, that is the news: a screen that only polls cannot say what changed. */}
      {!live ? t('live.polling') : shown ? t('live.updated') : ''}
    </Text>
  )
}
