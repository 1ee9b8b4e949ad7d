import type { TFunction } from 'i18next'
import type { UpdateStatus } from '../../../electron/ipc/contract'
import { currentLanguage } from '../i18n'
import { formatDate, formatTime } from '../lib/format'

function when(iso: string, t: TFunction): string {
  const language = currentLanguage()
  return t('about.when', { date: formatDate(iso, language), time: formatTime(iso, language) })
}

/** One plain line about automatic updates, for About and the settings tab. */
export function updateStatusText(status: UpdateStatus, t: TFunction): string {
  switch (status.phase) {
    case 'unavailable':
      return t('updates.status.unavailable')
    case 'off':
      return t('updates.status.off')
    case 'unsigned':
      return t('updates.status.unsigned')
    case 'idle':
      return status.checkedAt ? t('updates.status.idle', { when: when(status.checkedAt, t) }) : t('updates.status.notChecked')
    case 'checking':
      return t('updates.status.checking')
    case 'downloading':
      return status.percent === null ? t('updates.status.downloading', { version: status.version }) : t('updates.status.downloadingPercent', { version: status.version, percent: status.percent })
    case 'ready':
      return t('updates.status.ready', { version: status.version })
    case 'failed':
      return t('updates.status.failed', { when: when(status.at, t), message: status.message })
  }
}
