import { z } from 'zod'
import { RANGE_PRESETS } from '../../db/report-types'
import type { DashboardData, DrillPage, FunderReport, ManagerHome, ReportSettings } from '../../db/report-types'
import { REFERRAL_STATUSES, REFERRAL_TYPES } from '../../db/types'
import type { ChannelDef } from './contract'

/**
 * The dashboard's and the funder report's channels (issue 11), spread into the contract with one
 * line. Kept apart so the coming contract/<feature>.ts layout is a rename of this file.
 */
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
  ReportSettings,
  ResolvedRange,
  SeriesPoint,
  ServiceFigure,
  Summary,
  VisitFigures,
} from '../../db/report-types'

/** A file made in main for the renderer to save: text for CSV, base64 for a workbook. */
export interface ExportFile {
  fileName: string
  mimeType: string
  encoding: 'text' | 'base64'
  data: string
}

// The contract's own helper, repeated: importing a value from contract.ts here would be circular.
const channel =
  <Result>() =>
  <Input extends z.ZodType>(def: { input: Input }): ChannelDef<Input, Result> =>
    def

const day = (what: string) => z.iso.date({ message: `Enter ${what} as a date like 2026-01-31.` })

const range = z.union(
  [
    z.object({ preset: z.enum(RANGE_PRESETS, { message: 'Choose a range.' }) }).strict(),
    z.object({ from: day('the first day'), to: day('the last day') }).strict(),
  ],
  { message: 'Choose a range, or a first and a last day.' },
)

const drillFilter = z
  .object({
    period: z.enum(['current', 'previous']).optional(),
    bucketStart: day('the day').optional(),
    serviceId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
    weekday: z.number().int().min(0).max(6).optional(),
    hour: z.number().int().min(0).max(23).optional(),
    people: z.enum(['all', 'new', 'returning']).optional(),
    referralType: z.enum(REFERRAL_TYPES).optional(),
    status: z.enum(REFERRAL_STATUSES).optional(),
    connected: z.boolean().optional(),
  })
  .strict()

export const reportsContract = {
  'reports.dashboard': channel<DashboardData>()({ input: z.object({ range }).strict() }),
  'reports.funder': channel<FunderReport>()({ input: z.object({ range }).strict() }),
  'reports.export': channel<ExportFile>()({
    input: z
      .object({
        range,
        format: z.enum(['csv', 'xlsx'], { message: 'Choose CSV or Excel.' }),
        /** Small counts hidden (the default for anything that leaves the app). */
        suppress: z.boolean(),
      })
      .strict(),
  }),
  'reports.drillDown': channel<DrillPage>()({
    input: z
      .object({
        range,
        list: z.enum(['visits', 'people', 'referrals'], { message: 'Choose a list.' }),
        filter: drillFilter,
        offset: z.number().int({ message: 'Enter a whole number.' }).min(0).max(10_000_000),
        limit: z.number().int({ message: 'Enter a whole number.' }).min(1).max(200, { message: 'At most 200 rows at a time.' }),
      })
      .strict(),
  }),
  'reports.settings': channel<ReportSettings>()({ input: z.object({}).strict() }),
  'reports.saveSettings': channel<ReportSettings>()({
    input: z
      .object({
        suppressionThreshold: z
          .number({ message: 'Enter a number.' })
          .int({ message: 'Enter a whole number.' })
          .min(1, { message: 'At least 1.' })
          .max(50, { message: 'At most 50.' }),
        suppressOnScreen: z.boolean(),
      })
      .strict(),
  }),
  'reports.home': channel<ManagerHome>()({ input: z.object({}).strict() }),
} as const

export const REPORT_CHANNELS = Object.keys(reportsContract) as Array<keyof typeof reportsContract>
