import { suppressionFor } from '../../../db/domain'
import { sessionSheet } from '../../../db/services/attendance'
import { resolveRange } from '../../../db/services/reports/range'
import { getReportSettings } from '../../../db/services/reports/settings'
import type { printingChannels } from '../contract/printing'
import { fileNamePart, savePagePdf } from '../printing'
import { mayRunSession } from './groups'
import type { FeatureHandlers } from './types'

/** Saving a printable page as a PDF: who may see the document is checked as for the document itself. */
export const printingHandlers: FeatureHandlers<typeof printingChannels> = {
  'pdf.signInSheet': async ({ sessionId }, call) => {
    const ctx = call.core.context(call.session)
    // A facilitator saves only the sheets of sessions they run, as they see only those.
    await mayRunSession(ctx, call, sessionId)
    const sheet = await sessionSheet(ctx, sessionId, { audit: false })
    const { groupName, date } = sheet.session
    return savePagePdf(call, {
      fileName: `sign-in-sheet-${fileNamePart(groupName)}-${date}.pdf`,
      // Names of people in recovery leave the app in a file: who saved it, where, and how many names.
      audit: { action: 'session.sheet_pdf', targetType: 'session', targetId: sessionId, detail: { people: sheet.people.length } },
    })
  },
  'pdf.funderReport': async ({ range, suppress }, call) => {
    const ctx = call.core.context(call.session)
    const resolved = resolveRange(ctx, range)
    // The page prints with this threshold (its print copy, FunderReportView.tsx): the same rule as the files.
    const suppressed = suppressionFor(await getReportSettings(ctx.db), 'leaves', suppress)
    return savePagePdf(call, {
      fileName: `porchlight-report-${resolved.from}-to-${resolved.countedTo}.pdf`,
      // The same row as the CSV and Excel exports, with format 'pdf'.
      audit: { action: 'report.export', detail: { from: resolved.from, to: resolved.countedTo, suppressed } },
    })
  },
}
