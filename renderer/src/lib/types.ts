import type { AppStatus, ResultOf } from '../../../electron/ipc/contract'

/*
 * Names for the shapes the renderer handles, all derived from the contract: the renderer
 * never imports db/, so these follow whatever the channels actually return.
 */
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
  ConsentInformation,
  ConsentState,
  ReferralDetails,
  ReferralEvent,
  ReferralPage,
  ReferralRow,
  ReferralStatus,
  ReferralType,
  ReferralView,
  AnonymousCodeSummary,
  Accounting,
  AuditPerson,
  AuditRow,
  Disclosure,
  StaffAccount,
  DuplicateCandidate,
  DuplicateReason,
  FieldRule,
  FieldRules,
  HousingStatus,
  MergeRecord,
  ParticipantDetails,
  ParticipantField,
  ParticipantListPage,
  ParticipantListRow,
  ParticipantProfile,
  ParticipantSortColumn,
  ParticipantSummary,
  ServiceAdmin,
  ServiceTotal,
  SortDirection,
  VeteranStatus,
  VisitRecord,
  VisitServiceLine,
} from '../../../electron/ipc/contract'
