import { isSuppressed } from '../../domain'
import type { FunderReport } from '../../report-types'

/**
 * The funder report as lines of one long table (table, row, measure, value), the form its CSV,
 * its workbook and `admin report --format csv` share, so they agree figure for figure. Every line
 * carries the center's name and the range, as a funder's portal wants on every table.
 */
export interface ReportLine {
  table: string
  row: string
  measure: string
  value: number | null
  /** A count of people, visits, items or referrals: hidden when small (see suppress). Means, shares and days are not. */
  count: boolean
}

export function reportLines(report: FunderReport): ReportLine[] {
  const lines: ReportLine[] = []
  const add = (table: string, row: string, measure: string, value: number | null, count = true) => lines.push({ table, row, measure, value, count })
  const p = report.people
  add('people', 'unduplicated', 'people', p.people)
  add('people', 'registered', 'people', p.registered)
  add('people', 'anonymous_by_code', 'people', p.anonymousPeople)
  add('people', 'new', 'people', p.newPeople)
  add('people', 'returning', 'people', p.returningPeople)
  const v = report.visits
  add('visits', 'all', 'visits', v.visits)
  add('visits', 'registered', 'visits', v.registeredVisits)
  add('visits', 'anonymous', 'visits', v.anonymousVisits)
  add('visits', 'anonymous_without_code', 'visits', v.anonymousUncodedVisits)
  for (const s of report.services) {
    add('services', s.key, 'times', s.times)
    add('services', s.key, 'people', s.people)
    if (s.hasQuantity) add('services', s.key, 'items', s.quantity)
  }
  add('naloxone', 'kits', 'items', report.naloxoneKits)
  const r = report.referrals
  add('referrals', 'all', 'made', r.made)
  add('referrals', 'all', 'accepted', r.accepted)
  add('referrals', 'all', 'connected', r.connected)
  add('referrals', 'all', 'connected_share', r.connectedShare, false)
  add('referrals', 'all', 'connected_after_range', r.connectedLater)
  add('referrals', 'all', 'median_days_to_connect', r.medianDaysToConnect, false)
  add('referrals', 'all', 'open_at_end', r.open)
  add('referrals', 'all', 'open_past_follow_up', r.openPastFollowUp)
  for (const t of r.byType) {
    add('referrals', t.type, 'made', t.made)
    add('referrals', t.type, 'connected', t.connected)
  }
  const c = report.recoveryCapital
  add('recovery_capital', 'barc10', 'people_assessed', c.assessed)
  add('recovery_capital', 'barc10', 'n_with_two_or_more', c.n)
  add('recovery_capital', 'barc10', 'mean_first', c.meanFirst, false)
  add('recovery_capital', 'barc10', 'mean_latest', c.meanLatest, false)
  add('recovery_capital', 'barc10', 'mean_change', c.meanChange, false)
  add('recovery_capital', 'barc10', 'mean_change_ci95_low', c.changeCi?.low ?? null, false)
  add('recovery_capital', 'barc10', 'mean_change_ci95_high', c.changeCi?.high ?? null, false)
  add('recovery_capital', 'barc10', 'share_47_or_more_first', c.shareAtOrAbove47First, false)
  add('recovery_capital', 'barc10', 'share_47_or_more_latest', c.shareAtOrAbove47Latest, false)
  const g = report.groups
  add('groups', 'all', 'sessions_held', g.sessionsHeld)
  add('groups', 'all', 'attendance', g.attendance)
  add('groups', 'all', 'people', g.people)
  for (const group of g.groups) {
    add('groups', group.name, 'sessions_held', group.sessionsHeld)
    add('groups', group.name, 'attendance', group.attendance)
    add('groups', group.name, 'people', group.people)
    add('groups', group.name, 'attendance_rate', group.attendanceRate, false)
  }
  // Peer coaching (reports/coaching.ts counts them): engagements, contacts by kind (anonymous
  // warmline calls are the 'warmline' row), the median gap between a person's contact days, goals met.
  const co = report.coaching
  add('coaching', 'engagements', 'active', co.activeEngagements)
  add('coaching', 'engagements', 'completed', co.engagementsCompleted)
  add('coaching', 'all', 'contacts', co.contacts)
  for (const k of co.contactsByKind) add('coaching', k.kind, 'contacts', k.count)
  add('coaching', 'all', 'median_days_between_contacts', co.medianDaysBetweenContacts, false)
  add('coaching', 'plan_goals', 'met', co.planGoalsMet)
  const safety = report.safety
  add('safety', 'overdose', 'responses', safety.overdoseResponses)
  add('safety', 'overdose', 'reversals', safety.reversals)
  add('safety', 'naloxone_on_site', 'doses', safety.naloxoneDoses)
  for (const k of safety.incidentsByKind) add('safety', k.kind, 'incidents', k.count)
  add('safety', 'restrictions', 'people_in_force', safety.restrictionsInForce)
  const d = report.demographics
  for (const [table, rows] of [
    ['age', d.age],
    ['gender', d.gender],
    ['race_ethnicity', d.raceEthnicity],
    ['veteran', d.veteran],
    ['housing', d.housing],
  ] as const) {
    for (const row of rows) add(`demographics_${table}`, row.value, 'people', row.count)
  }
  return lines
}

/** Small-count suppression: a count from 1 to `threshold` becomes "<threshold+1"; zero stays zero (it reveals no one). */
export function suppressed(value: number, threshold: number | null): string | number {
  return isSuppressed(value, threshold) ? `<${threshold! + 1}` : value
}

/** How a figure is written out: counts as whole numbers, others to two decimals; nothing to show is empty, never NaN. */
export function cellValue(line: ReportLine, threshold: number | null): string | number {
  if (line.value === null) return ''
  if (line.count) return suppressed(line.value, threshold)
  return Math.round(line.value * 100) / 100
}

function csvField(value: string | number): string {
  const text = String(value)
  // Quote what needs it; a leading = + - @ is prefixed so a spreadsheet never runs it as a formula.
  const safe = /^[=+\-@\t\r]/.test(text) && typeof value === 'string' ? `'${text}` : text
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

export const CSV_HEADER = ['center', 'from', 'to', 'table', 'row', 'measure', 'value'] as const

/** The report as CSV (RFC 4180, CRLF), with small counts suppressed when a threshold is given. */
export function reportCsv(report: FunderReport, threshold: number | null): string {
  const head = [report.centerName, report.range.from, report.range.countedTo]
  const rows = reportLines(report).map((line) => [...head, line.table, line.row, line.measure, cellValue(line, threshold)])
  return [CSV_HEADER as readonly (string | number)[], ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n'
}

/** The same lines as the CSV, as JSON for a script: the values exactly as the CSV writes them. */
export function reportJson(report: FunderReport, threshold: number | null) {
  return {
    center: report.centerName,
    from: report.range.from,
    to: report.range.countedTo,
    suppressedUpTo: threshold,
    lines: reportLines(report).map((line) => ({ table: line.table, row: line.row, measure: line.measure, value: cellValue(line, threshold) })),
  }
}
