import { createPortal } from 'react-dom'
import { useTranslation } from 'react-i18next'
import type { ResultOf } from '../../../electron/ipc/contract'
import { currentLanguage } from '../i18n'
import { formatDay } from './labels'

type Summary = ResultOf<'referrals.summary'>

/**
 * The referral summary on paper, for the agency: only what the consent names (main leaves the
 * rest out), the consent itself, and the notice against redisclosure of 42 CFR §2.32.
 */
export function ReferralSummarySheet({ summary }: { summary: Summary }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const day = (value: string) => formatDay(value, language)
  const { person, agency, referral, consent } = summary
  const name = [person.firstName, person.nickname ? `“${person.nickname}”` : null, person.lastName].filter(Boolean).join(' ')
  return createPortal(
    <div className="pl-print-sheet pl-summary-sheet" data-testid="referral-summary-sheet">
      <p className="pl-summary-center">{summary.centerName}</p>
      <h1>{t('summary.title')}</h1>
      <p>{t('summary.printedOn', { date: day(summary.printedOn) })}</p>

      <h2>{t('summary.to')}</h2>
      <dl>
        <dt>{t('summary.agency')}</dt>
        <dd>{agency.name}</dd>
        {agency.contactName ? (
          <>
            <dt>{t('summary.contact')}</dt>
            <dd>{agency.contactName}</dd>
          </>
        ) : null}
        {agency.phone ? (
          <>
            <dt>{t('summary.phone')}</dt>
            <dd>{agency.phone}</dd>
          </>
        ) : null}
        {agency.address ? (
          <>
            <dt>{t('summary.address')}</dt>
            <dd>{agency.address}</dd>
          </>
        ) : null}
      </dl>

      <h2>{t('summary.person')}</h2>
      <dl>
        <dt>{t('summary.name')}</dt>
        <dd>{name}</dd>
        {person.birthDate || person.birthYear ? (
          <>
            <dt>{t('summary.born')}</dt>
            <dd>{person.birthDate ? day(person.birthDate) : String(person.birthYear)}</dd>
          </>
        ) : null}
        {summary.contact ? (
          <>
            <dt>{t('summary.phone')}</dt>
            <dd>{summary.contact.phone ?? '—'}</dd>
            <dt>{t('summary.language')}</dt>
            <dd>{summary.contact.preferredLanguage ?? '—'}</dd>
            <dt>{t('summary.pronouns')}</dt>
            <dd>{summary.contact.pronouns ?? '—'}</dd>
          </>
        ) : null}
      </dl>

      <h2>{t('summary.referral')}</h2>
      <dl>
        <dt>{t('summary.for')}</dt>
        <dd>{t(`referrals.type.${referral.type}`)}</dd>
        <dt>{t('summary.referredOn')}</dt>
        <dd>{day(referral.referredOn)}</dd>
        {referral.followUpOn ? (
          <>
            <dt>{t('summary.followUp')}</dt>
            <dd>{day(referral.followUpOn)}</dd>
          </>
        ) : null}
        {summary.referralStatus ? (
          <>
            <dt>{t('summary.status')}</dt>
            <dd>
              {t(`referrals.status.${summary.referralStatus.status}`)}
              {summary.referralStatus.note ? ` · ${summary.referralStatus.note}` : ''}
            </dd>
          </>
        ) : null}
      </dl>

      {summary.attendance ? (
        <>
          <h2>{t('summary.attendance')}</h2>
          <p>
            {t('summary.attendanceLine', {
              since: day(summary.attendance.since),
              visits: summary.attendance.visits,
              groups: summary.attendance.groupSessions,
            })}
            {summary.attendance.lastVisit ? ` ${t('summary.lastVisit', { date: day(summary.attendance.lastVisit) })}` : ''}
          </p>
        </>
      ) : null}

      <h2>{t('summary.consent')}</h2>
      <p>
        {t('summary.consentLine', {
          signed: day(consent.signedOn),
          until: day(consent.expiresOn),
          information: consent.information.map((item) => t(`consents.info.${item}`)).join(', '),
        })}
      </p>
      <p>
        {t('summary.purpose')}: {consent.purpose}
      </p>

      <h2>{t('summary.noticeTitle')}</h2>
      <p className="pl-summary-notice">{t('summary.notice')}</p>
    </div>,
    document.body,
  )
}
