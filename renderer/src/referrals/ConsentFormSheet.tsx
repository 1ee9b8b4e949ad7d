import i18next from 'i18next'
import { createPortal } from 'react-dom'
import type { Language } from '../i18n'
import type { ConsentInformation } from '../lib/types'
import { CONSENT_INFORMATION, formatDay } from './labels'

/** What the form is filled with; every field may be blank (a form filled in by hand). */
export interface ConsentFormFill {
  language: Language
  centerName: string
  personName: string | null
  agencyName: string | null
  purpose: string | null
  information: readonly ConsentInformation[]
  expiresOn: string | null
}

/**
 * The consent form the person signs, in their language, with the elements 42 CFR §2.31 asks of a
 * written consent: who discloses, to whom, what, why, until when, that it can be revoked, and the
 * signature and date. Kept on paper in the person's file; the app records only that it was signed.
 */
export function ConsentFormSheet({ fill }: { fill: ConsentFormFill }) {
  const t = i18next.getFixedT(fill.language)
  const blank = <span className="pl-form-blank" aria-hidden />
  return createPortal(
    <div className="pl-print-sheet pl-summary-sheet pl-consent-form" data-testid="consent-form-sheet" lang={fill.language}>
      <p className="pl-summary-center">{fill.centerName}</p>
      <h1>{t('consentForm.title')}</h1>
      <p>{t('consentForm.intro')}</p>
      <dl>
        <dt>{t('consentForm.person')}</dt>
        <dd>{fill.personName ?? blank}</dd>
        <dt>{t('consentForm.from')}</dt>
        <dd>{fill.centerName}</dd>
        <dt>{t('consentForm.to')}</dt>
        <dd>{fill.agencyName ?? blank}</dd>
        <dt>{t('consentForm.purpose')}</dt>
        <dd>{fill.purpose ?? blank}</dd>
        <dt>{t('consentForm.until')}</dt>
        <dd>{fill.expiresOn ? formatDay(fill.expiresOn, fill.language) : blank}</dd>
      </dl>
      <h2>{t('consentForm.what')}</h2>
      <ul className="pl-form-checks">
        {CONSENT_INFORMATION.map((item) => (
          <li key={item}>
            <span className="pl-form-box">{fill.information.includes(item) ? '✔' : ''}</span> {t(`consents.info.${item}`)}
          </li>
        ))}
      </ul>
      <h2>{t('consentForm.rights')}</h2>
      <p>{t('consentForm.revoke')}</p>
      <p>{t('consentForm.notConditioned')}</p>
      <p>{t('consentForm.redisclosure')}</p>
      <p>{t('consentForm.copy')}</p>
      <div className="pl-form-signatures">
        <p>
          {t('consentForm.signature')} {blank}
        </p>
        <p>
          {t('consentForm.date')} {blank}
        </p>
        <p>
          {t('consentForm.witness')} {blank}
        </p>
      </div>
    </div>,
    document.body,
  )
}
