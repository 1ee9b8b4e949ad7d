import { createPortal } from 'react-dom'
import { useTranslation } from 'react-i18next'
import type { SessionSheet } from '../../../electron/ipc/contract'
import { currentLanguage } from '../i18n'
import { formatDay } from './format'

/** Blank lines for people who come without being on the list. */
const BLANK_LINES = 8

/**
 * The paper fallback, printed from the attendance screen: the group, the date and room, the roster
 * with first names and last initials only (a sheet left on a table must not say more), and blank
 * lines. Outside #root, so the print stylesheet shows it alone.
 */
export function SignInSheet({ sheet }: { sheet: SessionSheet }) {
  const { t } = useTranslation()
  const session = sheet.session
  const names = sheet.people.map((p) => p.sheetName)
  return createPortal(
    <div className="pl-print-sheet pl-signin-sheet" aria-hidden data-testid="signin-sheet">
      <h1>{session.groupName}</h1>
      <p>{[formatDay(session.date, currentLanguage(), true), session.startTime, session.room].filter(Boolean).join(' · ')}</p>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('groups.sheetName')}</th>
            <th scope="col">{t('groups.sheetSignature')}</th>
          </tr>
        </thead>
        <tbody>
          {[...names, ...Array<string>(BLANK_LINES).fill('')].map((name, index) => (
            <tr key={index}>
              <td>{name}</td>
              <td />
            </tr>
          ))}
        </tbody>
      </table>
    </div>,
    document.body,
  )
}
