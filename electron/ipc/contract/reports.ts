import { z } from 'zod'
import { RANGE_PRESETS, REPORT_SCOPES } from '../../../db/report-types'
import type { DashboardData, DrillPage, FunderReport, ManagerHome, ReportSettings } from '../../../db/report-types'
import { REFERRAL_STATUSES, REFERRAL_TYPES } from '../../../db/types'
import { channel, count, day, id, noInput } from './common'

/** The dashboard's and the funder report's shapes, named for the renderer through the contract. */
export type {
  Compared,
  DashboardData,
  DateRange,
  Demographics,
  DemographicRow,
  DrillFilter,
  DrillList,
  DrillPage,
  DrillPersonRow,
  DrillReferralRow,
  DrillVisitRow,
  FunderReport,
  Grain,
  HeatCell,
  ManagerHome,
  PeopleFigures,
  RangePreset,
  RangeRequest,
  RecoveryCapitalFigures,
  ReferralFigures,
  ReportScopeChoice,
  ReportScopeInfo,
  ReportSettings,
  ResolvedRange,
  SeriesPoint,
  ServiceFigure,
  Summary,
  VisitFigures,
} from '../../../db/report-types'

/** A file made in main for the renderer to save: text for CSV, base64 for a workbook. */
export interface ExportFile {
  fileName: string
  mimeType: string
  encoding: 'text' | 'base64'
  data: string
}

/** A preset or a from–to pair; resolved and checked in main (db/services/reports/range.ts). */
export const range = z.union(
  [
    z.object({ preset: z.enum(RANGE_PRESETS) }).strict(),
    z.object({ from: day(), to: day() }).strict(),
  ],
)

/** Whose figures: the window's center (the default) or every center; main refuses the second to all but an organization admin. */
const scope = z.enum(REPORT_SCOPES).optional()

const drillFilter = z
  .object({
    period: z.enum(['current', 'previous']).optional(),
    bucketStart: day().optional(),
    serviceId: id().optional(),
    weekday: z.number().int().min(0).max(6).optional(),
    hour: z.number().int().min(0).max(23).optional(),
    people: z.enum(['all', 'new', 'returning']).optional(),
    referralType: z.enum(REFERRAL_TYPES).optional(),
    status: z.enum(REFERRAL_STATUSES).optional(),
    connected: z.boolean().optional(),
  })
  .strict()

/** The manager's dashboard and the funder report (issue 11). */
export const reportsChannels = {
  'reports.dashboard': channel<DashboardData>()({ input: z.object({ range, scope }).strict() }),
  'reports.funder': channel<FunderReport>()({ input: z.object({ range, scope }).strict() }),
  'reports.export': channel<ExportFile>()({
    input: z
      .object({
        range,
        scope,
        format: z.enum(['csv', 'xlsx']),
        /** Small counts hidden (the default for anything that leaves the app). */
        suppress: z.boolean(),
      })
      .strict(),
  }),
  'reports.drillDown': channel<DrillPage>()({
    input: z
      .object({
        range,
        scope,
        list: z.enum(['visits', 'people', 'referrals']),
        filter: drillFilter,
        offset: z.number().int().min(0).max(10_000_000),
        limit: z.number().int().min(1).max(200),
      })
      .strict(),
  }),
  'reports.settings': channel<ReportSettings>()({ input: noInput }),
  'reports.saveSettings': channel<ReportSettings>()({
    input: z
      .object({
        suppressionThreshold: count(1, 50),
        suppressOnScreen: z.boolean(),
      })
      .strict(),
  }),
  'reports.home': channel<ManagerHome>()({ input: noInput }),
}
