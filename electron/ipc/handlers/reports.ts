import { suppressionFor } from '../../../db/domain'
import { recordRead } from '../../../db/services/audit-log'
import { dashboard } from '../../../db/services/reports/dashboard'
import { drillDown } from '../../../db/services/reports/drill-down'
import { reportCsv } from '../../../db/services/reports/export'
import { funderReport } from '../../../db/services/reports/report'
import { getReportSettings, managerHome, setReportSettings } from '../../../db/services/reports/settings'
import { reportWorkbook } from '../../../db/services/reports/workbook'
import type { ExportFile, reportsChannels } from '../contract/reports'
import type { FeatureHandlers } from './types'

/** The dashboard's and the funder report's handlers: each a call into db/services/reports/. */
export const reportsHandlers: FeatureHandlers<typeof reportsChannels> = {
  'reports.dashboard': async ({ range, scope }, { core, session }) => dashboard(core.context(session), range, scope),
  'reports.funder': async ({ range, scope }, { core, session }) => funderReport(core.context(session), range, scope),
  'reports.export': async ({ range, scope, format, suppress }, { core, session }) => {
    const ctx = core.context(session)
    const report = await funderReport(ctx, range, scope)
    const threshold = suppressionFor(await getReportSettings(ctx.db), 'leaves', suppress)
    const fileName = `porchlight-report-${report.range.from}-to-${report.range.countedTo}.${format}`
    const file: ExportFile =
      format === 'csv'
        ? { fileName, mimeType: 'text/csv', encoding: 'text', data: reportCsv(report, threshold) }
        : {
            fileName,
            mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
            encoding: 'base64',
            data: (await reportWorkbook(report, threshold, ctx.now())).toString('base64'),
          }
    // Figures only, no one's record; still, what left the app and when is worth knowing.
    await recordRead(ctx, { action: 'report.export', detail: { format, scope: report.scope.choice, from: report.range.from, to: report.range.countedTo, suppressed: threshold } })
    return file
  },
  // Audited inside the use case, with the people on the page.
  'reports.drillDown': async (input, { core, session }) => drillDown(core.context(session), input),
  'reports.settings': async (_input, { core, session }) => getReportSettings(core.context(session).db),
  'reports.saveSettings': async (input, { core, session }) => setReportSettings(core.context(session), input),
  'reports.home': async (_input, { core, session }) => managerHome(core.context(session)),
}
