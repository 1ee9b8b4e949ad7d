import type { AppStatus, ResultOf } from '../../../electron/ipc/contract'

/*
 * Names for the shapes the renderer handles, derived from the contract, so these follow
 * whatever the channels actually return; the pure domain lists' types come from db/domain,
 * the one part of db/ the renderer may import.
 */
export type {
  ConsentInformation,
  ConsentState,
  FieldRule,
  FieldRules,
  HousingStatus,
  ParticipantField,
  ReferralStatus,
  ReferralType,
  VeteranStatus,
} from '../../../db/domain'
export type { AppStatus }
export type Staff = NonNullable<AppStatus['staff']>
export type Person = ResultOf<'participants.create'>
export type CatalogService = ResultOf<'catalog.services'>[number]
export type TodayVisit = ResultOf<'visits.today'>[number]
export type KeyProtection = AppStatus['keyProtection']
export type BackupOverview = ResultOf<'backups.overview'>
export type BackupListing = ResultOf<'backups.list'>[number]
export type RetentionPolicy = ResultOf<'retention.policy'>['policy']
export type RetentionPreview = ResultOf<'retention.preview'>
export type {
  Agency,
  Assessment,
  Consent,
  ReferralDetails,
  ReferralEvent,
  ReferralPage,
  ReferralRow,
  ReferralView,
  AnonymousCodeSummary,
  Accounting,
  AuditPerson,
  AuditRow,
  Disclosure,
  StaffAccount,
  DuplicateCandidate,
  DuplicateReason,
  MergeRecord,
  ParticipantDetails,
  ParticipantListPage,
  ParticipantListRow,
  ParticipantProfile,
  ParticipantSortColumn,
  ParticipantSummary,
  ServiceAdmin,
  ServiceTotal,
  SortDirection,
  VisitRecord,
  VisitServiceLine,
} from '../../../electron/ipc/contract'
