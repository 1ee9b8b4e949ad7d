import type { z } from 'zod'
import type { ChannelName } from '../channels'
import { aboutChannels } from './about'
import { appChannels } from './app'
import { assessmentsChannels } from './assessments'
import { backupsChannels } from './backups'
import { catalogChannels } from './catalog'
import { centersChannels } from './centers'
import { coachingChannels } from './coaching'
import type { ChannelDef } from './common'
import { directoryChannels } from './directory'
import { groupsChannels } from './groups'
import { kioskChannels } from './kiosk'
import { participantsChannels } from './participants'
import { printingChannels } from './printing'
import { recordsChannels } from './records'
import { referralsChannels } from './referrals'
import { reportsChannels } from './reports'
import { incidentsChannels } from './incidents'
import { safetyChannels } from './safety'
import { staffChannels } from './staff'
import { visitsChannels } from './visits'
import { updatesChannels } from './updates'
import { workforceChannels } from './workforce'

/**
 * The one list of what the renderer may ask of main, put together from one file per feature
 * (a feature's channels, their zod schemas and result types sit together). Each channel: the
 * schema its input must pass and the result type it returns. Who may call it is PERMISSIONS
 * (permissions.ts); the handler that answers it is in ../handlers/.
 */
export const contract = {
  ...appChannels,
  ...aboutChannels,
  ...updatesChannels,
  ...participantsChannels,
  ...visitsChannels,
  ...catalogChannels,
  ...backupsChannels,
  ...kioskChannels,
  ...staffChannels,
  ...referralsChannels,
  ...directoryChannels,
  ...assessmentsChannels,
  ...reportsChannels,
  ...groupsChannels,
  ...coachingChannels,
  ...safetyChannels,
  ...incidentsChannels,
  ...workforceChannels,
  ...recordsChannels,
  ...printingChannels,
  ...centersChannels,
} satisfies { readonly [C in ChannelName]: ChannelDef<z.ZodType, unknown> }

export { PASSIVE, PERMISSIONS, WHILE_CHANGING_PASSWORD, WHILE_LOCKED } from '../permissions'
export type { Access } from '../permissions'
export type { ChannelDef, KioskAccess } from './common'
export type { AppPhase, AppStatus, RestoreOffer, RestoreOutcome } from './app'
export type { AboutInfo } from './about'
export type { UpdatesView } from './updates'
export type * from '../../../db/update-types'
export type { BackupOverview, BackupProgress } from './backups'
export { participantInput, participantUpdateInput } from './participants'
export type * from './reports'
export type { SavedPdf } from './printing'

/** Groups and attendance: the shapes and lists, from db/'s pure groups types. */
export type * from '../../../db/groups-types'
/** Peer coaching: its shapes, from db/'s pure coaching types. */
export type * from '../../../db/coaching-types'
/** Incident reports' shapes. */
export type * from '../../../db/incident-types'
/** The peer workforce's shapes. */
export type * from '../../../db/workforce-types'

/** The shapes channels return, re-exported so the renderer can name them without importing db/. */
export type {
  Agency,
  AnonymousCodeSummary,
  Assessment,
  Accounting,
  AuditPage,
  AuditPerson,
  Disclosure,
  AutoClose,
  CenterHours,
  AuditRow,
  CareFlag,
  CareFlagKind,
  CheckInNotice,
  Restriction,
  RestrictionKind,
  BackupAttempt,
  BackupListing,
  BackupPreview,
  BackupSettings,
  CatalogService,
  Consent,
  ConsentInformation,
  ConsentState,
  DuplicateCandidate,
  DuplicateReason,
  FieldRule,
  FieldRules,
  HousingStatus,
  IntegrityCheck,
  KioskAnswer,
  KioskFactor,
  MergeRecord,
  ParticipantDetails,
  ParticipantField,
  ParticipantListPage,
  ParticipantListRow,
  ParticipantProfile,
  ParticipantSortColumn,
  ParticipantSummary,
  ReferralDetails,
  ReferralEvent,
  ReferralFilter,
  ReferralPage,
  ReferralPerson,
  ReferralRequest,
  ReferralRow,
  ReferralStatus,
  ReferralType,
  ReferralView,
  RetentionPolicy,
  RetentionPreview,
  RetentionResult,
  SecuritySettings,
  ServiceAdmin,
  ServiceTotal,
  SessionMode,
  SortDirection,
  StaffAccount,
  StaffSummary,
  TodayVisit,
  VeteranStatus,
  VisitRecord,
  VisitServiceLine,
} from '../../../db/types'

export type Contract = typeof contract
export type InputOf<C extends ChannelName> = z.input<Contract[C]['input']>
export type ParsedInputOf<C extends ChannelName> = z.output<Contract[C]['input']>
export type ResultOf<C extends ChannelName> = Exclude<Contract[C]['result'], undefined>
