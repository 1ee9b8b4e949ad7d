import { Fragment } from 'react'
import { createPortal } from 'react-dom'
import { useTranslation } from 'react-i18next'
import type { Incident } from '../../../electron/ipc/contract'
import { currentLanguage } from '../i18n'
import { formatDate, formatTime } from '../lib/format'

/**
 * A critical incident on paper (or "Save as PDF") for the funder's 24-hour notice: the facts
 * of the report, who reported it, and the manager's review. Participants appear by their code
 * only: the notice needs what happened, not who.
 */
export function IncidentSheet({ incident, centerName }: { incident: Incident; centerName: string }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const at = (iso: string) => `${formatDate(iso, language)} ${formatTime(iso, language)}`
  const rows: Array<[string, string | null]> = [
    [t('incidents.sheet.center'), centerName],
    [t('incidents.kind'), t(`incidents.kinds.${incident.kind}`)],
    [t('incidents.occurredAt'), at(incident.occurredAt)],
    [t('incidents.location'), incident.location],
    [t('incidents.summary'), incident.summary],
    [t('incidents.doses'), incident.naloxoneDoses === null ? null : String(incident.naloxoneDoses)],
    [t('incidents.ems'), incident.emsCalled === null ? null : incident.emsCalled ? t('incidents.emsYes') : t('incidents.emsNo')],
    [t('incidents.outcome'), incident.outcome ? t(`incidents.outcomes.${incident.outcome}`) : null],
    [t('incidents.people'), incident.people.map((p) => (p.staffId !== null ? `${p.name ?? ''} (${t('incidents.staffTag')})` : p.code ?? p.description ?? t('incidents.anonymous'))).join(', ') || null],
    [t('incidents.narrative'), incident.narrative],
    [t('incidents.actionsTaken'), incident.actionsTaken],
    [t('incidents.followUp'), incident.followUp],
    [t('incidents.sheet.reportedBy'), incident.createdByName],
    [t('incidents.sheet.reportedAt'), at(incident.createdAt)],
    [t('incidents.sheet.review'), incident.reviewNote ?? t('incidents.sheet.notReviewed')],
  ]
  return createPortal(
    <div className="pl-print-sheet pl-summary-sheet" data-testid="incident-sheet">
      <p className="pl-summary-center">{centerName}</p>
      <h1>{t('incidents.sheet.title')}</h1>
      <dl>
        {rows
          .filter((row): row is [string, string] => row[1] !== null && row[1] !== '')
          .map(([label, value]) => (
            <Fragment key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </Fragment>
          ))}
      </dl>
    </div>,
    document.body,
  )
}
