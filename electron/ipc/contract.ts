import { z } from 'zod'
import { BARC10_ITEMS, BARC10_MAX, BARC10_MIN, CONSENT_INFORMATION, HOUSING_STATUSES, REFERRAL_STATUSES, REFERRAL_TYPES, ROLES, VETERAN_STATUSES } from '../../db/types'
import type {
  AnonymousCodeSummary,
  AuditPage,
  SecuritySettings,
  StaffAccount,
  CatalogService,
  DuplicateCandidate,
  FieldRules,
  KioskMatch,
  MergeRecord,
  ParticipantDetails,
  ParticipantListPage,
  ParticipantProfile,
  ParticipantSummary,
  ServiceAdmin,
  StaffSummary,
  TodayVisit,
} from '../../db/types'
import type { ParticipantField as ParticipantFieldT } from '../../db/types'
import type { Agency, Assessment, Consent, ReferralDetails, ReferralPage } from '../../db/types'
import type { BackupAttempt, BackupListing, BackupPreview, BackupSettings, IntegrityCheck, RetentionPolicy, RetentionPreview, RetentionResult } from '../../db/types'
import type { ChannelName } from './channels'
import { groupsContract } from './contract-groups'

export type { BackupAttempt, BackupListing, BackupPreview, BackupSettings, IntegrityCheck, RetentionPolicy, RetentionPreview, RetentionResult }

/** The backup, restore or key change under way; the Backups screen polls it for its progress bar. */
export interface BackupProgress {
  step: 'copying' | 'verifying' | 'rotating' | 'restoring' | 'rekeying' | 'checking'
  startedAt: string
}

export interface BackupOverview {
  settings: BackupSettings
  last: BackupAttempt | null
  lastSuccess: BackupAttempt | null
  /** When the next scheduled backup is due (ISO), or null when none is scheduled. */
  nextRunAt: string | null
  running: BackupProgress | null
  /** Where the database lives on this computer (a restore keeps the replaced file beside it). */
  dbFile: string
  /** The latest full integrity check of the live file, or null before the first. */
  lastCheck: IntegrityCheck | null
}

export type * from './contract-groups'

/** The shapes channels return, re-exported so the renderer can name them without importing db/. */
export type {
  Agency,
  Assessment,
  Consent,
  ConsentInformation,
  ConsentState,
  ReferralDetails,
  ReferralEvent,
  ReferralFilter,
  ReferralPage,
  ReferralPerson,
  ReferralRow,
  ReferralStatus,
  ReferralType,
  ReferralView,
  AnonymousCodeSummary,
  AuditPage,
  AuditRow,
  SecuritySettings,
  StaffAccount,
  CatalogService,
  DuplicateCandidate,
  DuplicateReason,
  FieldRule,
  FieldRules,
  HousingStatus,
  KioskMatch,
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
  SessionMode,
  SortDirection,
  StaffSummary,
  TodayVisit,
  VeteranStatus,
  VisitRecord,
  VisitServiceLine,
} from '../../db/types'

/**
 * The one list of what the renderer may ask of main. Each channel: the zod schema its input
 * must pass and the result type it returns. Who may call it is in PERMISSIONS below.
 */
import type { Access } from './permissions'
export type { Access }

/**
 * Where a channel may be called. Absent: only from a staff (desk) session. 'also': from a desk
 * session and from a kiosk screen. 'only': only from a kiosk screen (self check-in). A kiosk
 * session can call nothing else: `dispatch` refuses every channel without this flag there.
 */
export type KioskAccess = 'only' | 'also'

export interface ChannelDef<Input extends z.ZodType, Result> {
  readonly input: Input
  readonly kiosk?: KioskAccess
  /** Type-only: carries the result type to both sides. Never set at run time. */
  readonly result?: Result
}

const channel =
  <Result>() =>
  <Input extends z.ZodType>(def: { input: Input; kiosk?: KioskAccess }): ChannelDef<Input, Result> =>
    def

const noInput = z.object({}).strict()

/** An absolute folder path: /mnt/usb, D:\\Backups or \\\\server\\share. */
const absolutePath = (what: string) =>
  z
    .string()
    .trim()
    .min(1, { message: `Enter ${what}.` })
    .max(1000, { message: 'Use at most 1000 characters.' })
    .refine((text) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(text), { message: 'Enter the full path, starting with / or a drive letter like D:\\.' })

const backupFileName = z.string().regex(/^porchlight-\d{8}-\d{6}\.db$/, { message: 'Choose a backup from the list.' })

const count = (min: number, max: number) =>
  z
    .number({ message: 'Enter a number.' })
    .int({ message: 'Enter a whole number.' })
    .min(min, { message: `At least ${min}.` })
    .max(max, { message: `At most ${max}.` })

const backupSchedule = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('off') }).strict(),
    z.object({ kind: z.literal('daily'), time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'Enter a time like 18:00.' }) }).strict(),
    z.object({ kind: z.literal('hourly'), every: count(1, 168) }).strict(),
  ],
  { message: 'Choose when backups run.' },
)

const retentionPolicy = z
  .object({
    enabled: z.boolean(),
    years: count(1, 50),
    mode: z.enum(['deidentify', 'purge'], { message: 'Choose de-identify or purge.' }),
  })
  .strict()

const confirmed = z.literal(true, { message: 'Confirm first.' })

/** Trims, and turns an empty field into null: forms send '' for a field left blank. */
const optionalText = (max: number) =>
  z
    .string()
    .max(max, { message: `Use at most ${max} characters.` })
    .transform((text) => text.trim() || null)
    .nullable()
    .optional()

const requiredText = (max: number, what: string) =>
  z
    .string()
    .trim()
    .min(1, { message: `Enter ${what}.` })
    .max(max, { message: `Use at most ${max} characters.` })

const currentYear = new Date().getFullYear()

/**
 * 'kiosk': the window is a self check-in screen; only kiosk channels (and app.status) answer.
 * 'change-password': signed in with a password an admin set; nothing else answers until it is changed.
 */
export type AppPhase = 'unlock' | 'setup' | 'error' | 'signed-out' | 'signed-in' | 'change-password' | 'kiosk'

export interface AppStatus {
  phase: AppPhase
  centerName: string | null
  staff: StaffSummary | null
  /** What protects the database key on this computer; 'passphrase' means setup must ask for one. */
  keyProtection: 'os' | 'passphrase' | 'file' | 'env'
  error: { code: string; message: string } | null
  /** Signed in but idle too long: the window shows the lock screen over the work in progress. */
  locked: boolean
  /** When signed in: seconds without input before this window locks. */
  idleLockSeconds: number | null
  /** Only in phase 'error', when the file is damaged: the newest backup that passed its checks. */
  restore?: RestoreOffer | null
}

/** A verified backup Porchlight can put in place of a damaged database file. */
export interface RestoreOffer {
  /** The backup's file name in the backup folder. */
  file: string
  createdAt: string
  participants: number
  visits: number
}

export interface RestoreOutcome {
  restoredFrom: string
  createdAt: string
  /** Where the damaged file was moved: kept for investigation, never deleted. */
  asideFile: string
}

const id = (what: string) =>
  z
    .number({ message: `Choose ${what}.` })
    .int({ message: `Choose ${what}.` })
    .positive({ message: `Choose ${what}.` })
    .max(Number.MAX_SAFE_INTEGER)

const birthYear = z
  .number({ message: 'Enter a year, like 1984.' })
  .int({ message: 'Enter a whole year, like 1984.' })
  .min(1900, { message: 'Enter a year from 1900 on.' })
  .max(currentYear, { message: 'A birth year cannot be in the future.' })

/** A real calendar date, YYYY-MM-DD, from 1900 up to today (a day of slack for time zones). */
function isBirthDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false
  const at = new Date(`${text}T00:00:00Z`)
  if (Number.isNaN(at.getTime()) || at.toISOString().slice(0, 10) !== text) return false
  return text >= '1900-01-01' && at.getTime() <= Date.now() + 86_400_000
}

const birthDate = z
  .string()
  .max(10, { message: 'Enter a date like 1984-03-21.' })
  .refine((text) => text.trim() === '' || isBirthDate(text.trim()), { message: 'Enter a real date of birth, like 1984-03-21.' })
  .transform((text) => text.trim() || null)
  .nullable()
  .optional()

const phone = z
  .string()
  .max(30, { message: 'Use at most 30 characters.' })
  .regex(/^[0-9+().\-\s]*$/, { message: 'Use digits, spaces and + ( ) - only.' })
  .transform((text) => text.trim() || null)
  .nullable()
  .optional()


/** Every field a participant record can hold besides its name; which ones a center uses is its field rules. */
const participantFields = {
  lastName: optionalText(60),
  birthYear: birthYear.nullable().optional(),
  birthDate,
  phone,
  pronouns: optionalText(40),
  gender: optionalText(60),
  raceEthnicity: optionalText(120),
  veteranStatus: z.enum(VETERAN_STATUSES, { message: 'Choose yes, no or declined.' }).nullable().optional(),
  housingStatus: z.enum(HOUSING_STATUSES, { message: 'Choose one of the housing answers.' }).nullable().optional(),
  preferredLanguage: optionalText(40),
  heardAbout: optionalText(200),
  emergencyContactName: optionalText(120),
  emergencyContactPhone: phone,
}

export const participantInput = z
  .object({
    firstName: optionalText(60),
    nickname: optionalText(60),
    ...participantFields,
  })
  .strict()
  .refine((p) => Boolean(p.firstName || p.nickname), {
    message: 'Enter a first name or a nickname.',
    path: ['firstName'],
  })

/** A partial update: fields left out stay as they are; null (or '') clears a field. */
export const participantUpdateInput = z
  .object({
    id: id('a person'),
    firstName: optionalText(60),
    nickname: optionalText(60),
    ...participantFields,
  })
  .strict()

const fieldRule = z.enum(['hidden', 'optional', 'required'], { message: 'Choose hidden, optional or required.' })

const serviceLines = z
  .array(
    z
      .object({
        serviceId: id('a service'),
        quantity: z.number().int({ message: 'Enter a whole number.' }).min(1, { message: 'At least 1.' }).max(99, { message: 'At most 99.' }),
      })
      .strict(),
  )
  .max(50, { message: 'At most 50 services on one visit.' })

const instant = (what: string) =>
  z.iso.datetime({ offset: true, message: `Enter ${what} as a date and time.` })

const reason = z
  .string()
  .trim()
  .min(3, { message: 'Say briefly why (at least 3 characters).' })
  .max(300, { message: 'Use at most 300 characters.' })

const serviceNames = {
  nameEn: requiredText(60, 'the English name'),
  nameEs: requiredText(60, 'the Spanish name'),
  hasQuantity: z.boolean({ message: 'Say whether this service takes a quantity.' }),
}

const anonymousCode = z
  .string()
  .max(12, { message: 'Use at most 12 letters or digits.' })
  .regex(/^[\p{L}\p{N}\s-]*$/u, { message: 'Use letters and digits only.' })

const kioskFindInput = z
  .object({
    firstName: z.string().trim().min(1, { message: 'Enter your first name.' }).max(60, { message: 'Use at most 60 characters.' }).optional(),
    birthYear: birthYear.optional(),
    code: z
      .string()
      .trim()
      .min(4, { message: 'Enter the code on your card.' })
      .max(12, { message: 'Use at most 12 letters or digits.' })
      .regex(/^[A-Za-z0-9\s-]+$/, { message: 'Use letters and digits only.' })
      .optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.code !== undefined) {
      if (input.firstName !== undefined || input.birthYear !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['code'], message: 'Use either your code, or your first name and birth year.' })
      }
      return
    }
    if (input.firstName === undefined) ctx.addIssue({ code: 'custom', path: ['firstName'], message: 'Enter your first name.' })
    if (input.birthYear === undefined) ctx.addIssue({ code: 'custom', path: ['birthYear'], message: 'Enter the year you were born.' })
  })

const username = z
  .string()
  .trim()
  .min(3, { message: 'Use at least 3 characters.' })
  .max(60, { message: 'Use at most 60 characters.' })
  .regex(/^[A-Za-z0-9._-]+$/, { message: 'Use letters, digits, dot, dash or underscore only.' })

const newPassword = z.string().min(10, { message: 'Use at least 10 characters.' }).max(1024, { message: 'Use at most 1024 characters.' })

const role = z.enum(ROLES, { message: 'Choose a role.' })

/** A calendar day at the center, YYYY-MM-DD. */
const day = (what: string) => z.iso.date({ message: `Enter ${what} as a date like 2026-01-31.` })

const referralType = z.enum(REFERRAL_TYPES, { message: 'Choose what the referral is for.' })
const referralStatus = z.enum(REFERRAL_STATUSES, { message: 'Choose a status.' })

const agencyInput = z
  .object({
    name: requiredText(120, 'the agency’s name'),
    types: z.array(referralType).min(1, { message: 'Tick at least one kind of referral this agency takes.' }).max(REFERRAL_TYPES.length),
    contactName: optionalText(120),
    phone,
    email: z
      .string()
      .max(200, { message: 'Use at most 200 characters.' })
      .refine((text) => text.trim() === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text.trim()), { message: 'Enter an email address like intake@agency.org.' })
      .transform((text) => text.trim() || null)
      .nullable()
      .optional(),
    address: optionalText(300),
    website: optionalText(300),
    hours: optionalText(300),
    notes: optionalText(1000),
    verifiedOn: day('the date the details were checked').nullable().optional(),
  })
  .strict()

const consentInput = z
  .object({
    participantId: id('a person'),
    agencyId: id('the agency'),
    purpose: requiredText(300, 'what the information may be used for'),
    information: z
      .array(z.enum(CONSENT_INFORMATION, { message: 'Choose what may be shared.' }))
      .min(1, { message: 'Tick at least one kind of information that may be shared.' })
      .max(CONSENT_INFORMATION.length),
    signedOn: day('the date it was signed'),
    expiresOn: day('the date it ends'),
  })
  .strict()

export const contract = {
  'app.status': channel<AppStatus>()({ input: noInput, kiosk: 'also' }),
  'app.unlock': channel<AppStatus>()({
    input: z.object({ passphrase: z.string().min(1, { message: 'Enter the passphrase.' }).max(1024) }).strict(),
  }),
  'app.restoreBackup': channel<RestoreOutcome>()({ input: noInput }),
  'setup.create': channel<{ recoveryKey: string; staff: StaffSummary }>()({
    input: z
      .object({
        centerName: requiredText(120, 'the center’s name'),
        adminName: requiredText(120, 'your name'),
        username,
        password: newPassword,
        passphrase: z.string().min(10, { message: 'Use at least 10 characters.' }).max(1024).optional(),
      })
      .strict(),
  }),
  'auth.login': channel<StaffSummary>()({
    input: z
      .object({
        username: z.string().trim().min(1, { message: 'Enter your username.' }).max(60),
        password: z.string().min(1, { message: 'Enter your password.' }).max(1024),
      })
      .strict(),
  }),
  'auth.logout': channel<null>()({ input: noInput }),
  'catalog.services': channel<CatalogService[]>()({ input: noInput }),
  'participants.search': channel<ParticipantSummary[]>()({
    input: z
      .object({
        text: z.string().max(100, { message: 'Search for at most 100 characters.' }),
        limit: z.number().int().min(1).max(50).optional(),
      })
      .strict(),
  }),
  'participants.create': channel<ParticipantSummary>()({ input: participantInput }),
  'visits.signIn': channel<TodayVisit>()({
    input: z
      .object({
        participantId: z.number().int().positive().nullable(),
        anonymousCode: anonymousCode.nullable().optional(),
        services: z
          .array(
            z
              .object({
                serviceId: z.number().int().positive(),
                quantity: z.number().int().min(1, { message: 'At least 1.' }).max(99, { message: 'At most 99.' }),
              })
              .strict(),
          )
          .max(50),
        note: optionalText(500),
        allowRepeat: z.boolean().optional(),
      })
      .strict(),
  }),
  'visits.today': channel<TodayVisit[]>()({
    input: z
      .object({
        status: z.enum(['here', 'left', 'all'], { message: 'Choose here, left or all.' }).optional(),
        serviceId: id('a service').optional(),
      })
      .strict(),
  }),

  'settings.fieldRules': channel<FieldRules>()({ input: noInput }),
  'settings.setFieldRules': channel<FieldRules>()({
    input: z
      .object({
        // Fields left out keep their current rule.
        rules: z
          .object({
            lastName: fieldRule.optional(),
            birthDate: fieldRule.optional(),
            birthYear: fieldRule.optional(),
            phone: fieldRule.optional(),
            pronouns: fieldRule.optional(),
            gender: fieldRule.optional(),
            raceEthnicity: fieldRule.optional(),
            veteranStatus: fieldRule.optional(),
            housingStatus: fieldRule.optional(),
            preferredLanguage: fieldRule.optional(),
            heardAbout: fieldRule.optional(),
            emergencyContact: fieldRule.optional(),
          } satisfies Record<ParticipantFieldT, unknown>)
          .strict(),
      })
      .strict(),
  }),

  'participants.checkDuplicates': channel<DuplicateCandidate[]>()({
    input: z
      .object({
        firstName: optionalText(60),
        nickname: optionalText(60),
        lastName: optionalText(60),
        birthYear: birthYear.nullable().optional(),
        birthDate,
        phone,
      })
      .strict(),
  }),
  'participants.get': channel<ParticipantProfile>()({ input: z.object({ id: id('a person') }).strict() }),
  'participants.update': channel<ParticipantDetails>()({ input: participantUpdateInput }),
  'participants.list': channel<ParticipantListPage>()({
    input: z
      .object({
        offset: z.number().int({ message: 'Enter a whole number.' }).min(0).max(10_000_000),
        limit: z.number().int({ message: 'Enter a whole number.' }).min(1).max(500, { message: 'At most 500 rows at a time.' }),
        sort: z
          .object({
            column: z.enum(['name', 'lastVisit', 'created', 'visits', 'birthYear'], { message: 'Choose a column to sort by.' }),
            direction: z.enum(['asc', 'desc'], { message: 'Choose ascending or descending.' }),
          })
          .strict()
          .optional(),
        filter: z
          .object({
            text: z.string().max(100, { message: 'Search for at most 100 characters.' }).optional(),
            visitedSince: z.iso.date({ message: 'Enter a date like 2026-01-31.' }).optional(),
            neverVisited: z.boolean().optional(),
          })
          .strict()
          .optional(),
      })
      .strict(),
  }),
  'participants.merge': channel<MergeRecord>()({
    input: z
      .object({
        keepId: id('the record to keep'),
        mergeId: id('the record to merge'),
        note: optionalText(500),
      })
      .strict()
      .refine((input) => input.keepId !== input.mergeId, { message: 'Choose two different records.', path: ['mergeId'] }),
  }),
  'participants.undoMerge': channel<MergeRecord>()({ input: z.object({ mergeId: id('a merge') }).strict() }),

  'visits.anonymousCodes': channel<AnonymousCodeSummary[]>()({
    input: z.object({ prefix: anonymousCode }).strict(),
  }),
  'visits.signOut': channel<TodayVisit>()({ input: z.object({ visitId: id('a visit') }).strict() }),
  'visits.signOutAll': channel<{ count: number }>()({ input: noInput }),
  'visits.update': channel<TodayVisit>()({
    input: z
      .object({
        visitId: id('a visit'),
        services: serviceLines,
        note: optionalText(500),
        signedInAt: instant('the sign-in time').optional(),
        signedOutAt: instant('the sign-out time').nullable().optional(),
        reason,
      })
      .strict(),
  }),
  'visits.void': channel<null>()({ input: z.object({ visitId: id('a visit'), reason }).strict() }),

  'catalog.all': channel<ServiceAdmin[]>()({ input: noInput }),
  'catalog.add': channel<ServiceAdmin>()({ input: z.object(serviceNames).strict() }),
  'catalog.update': channel<ServiceAdmin>()({ input: z.object({ id: id('a service'), ...serviceNames }).strict() }),
  'catalog.retire': channel<ServiceAdmin>()({
    input: z.object({ id: id('a service'), retired: z.boolean({ message: 'Say whether to retire it.' }) }).strict(),
  }),
  'catalog.reorder': channel<ServiceAdmin[]>()({
    input: z
      .object({ ids: z.array(id('a service')).min(1, { message: 'List every service.' }).max(500) })
      .strict(),
  }),

  // Backups, restore, the recovery key and retention: admins only.
  'backups.overview': channel<BackupOverview>()({ input: noInput }),
  'backups.saveSettings': channel<BackupOverview>()({
    input: z
      .object({ folder: absolutePath('the backup folder'), schedule: backupSchedule, keepDaily: count(1, 365), keepWeekly: count(0, 520) })
      .strict(),
  }),
  'backups.list': channel<BackupListing[]>()({ input: noInput }),
  'backups.run': channel<BackupListing>()({ input: noInput }),
  'backups.progress': channel<BackupProgress | null>()({ input: noInput }),
  'backups.preview': channel<BackupPreview>()({ input: z.object({ file: backupFileName }).strict() }),
  'backups.restore': channel<{ asideFile: string; counts: Record<string, number> }>()({
    input: z.object({ file: backupFileName, confirm: confirmed }).strict(),
  }),
  'backups.chooseFolder': channel<string | null>()({ input: noInput }),
  'backups.checkNow': channel<IntegrityCheck>()({ input: noInput }),
  'security.newRecoveryKey': channel<{ recoveryKey: string }>()({
    input: z.object({ confirm: confirmed, passphrase: z.string().max(1024).optional() }).strict(),
  }),
  'setup.recover': channel<AppStatus>()({
    input: z
      .object({
        recoveryKey: z.string().trim().min(1, { message: 'Enter the recovery key.' }).max(200, { message: 'A recovery key is 64 letters and digits.' }),
        backupFile: z.union([absolutePath('the backup file'), z.literal('').transform(() => undefined)]).optional(),
        passphrase: z.string().min(10, { message: 'Use at least 10 characters.' }).max(1024).optional(),
      })
      .strict(),
  }),
  'retention.policy': channel<{ policy: RetentionPolicy; lastRun: string | null }>()({ input: noInput }),
  'retention.savePolicy': channel<{ policy: RetentionPolicy; lastRun: string | null }>()({ input: retentionPolicy }),
  'retention.preview': channel<RetentionPreview>()({
    input: z.object({ years: count(1, 50).optional(), mode: z.enum(['deidentify', 'purge']).optional() }).strict(),
  }),
  'retention.apply': channel<RetentionResult>()({
    input: z.object({ expectedPeople: count(0, 10_000_000), confirm: confirmed }).strict(),
  }),

  // Self check-in. `kiosk.enter` is a desk channel; the rest answer only on a kiosk screen.
  'kiosk.enter': channel<AppStatus>()({ input: noInput }),
  'kiosk.find': channel<KioskMatch[]>()({ input: kioskFindInput, kiosk: 'only' }),
  'kiosk.services': channel<CatalogService[]>()({ input: noInput, kiosk: 'only' }),
  'kiosk.signIn': channel<{ firstName: string }>()({
    input: z.object({ participantId: id('your name'), services: serviceLines }).strict(),
    kiosk: 'only',
  }),
  'kiosk.exit': channel<StaffSummary>()({
    input: z
      .object({
        username: z.string().trim().min(1, { message: 'Enter your username.' }).max(60),
        password: z.string().min(1, { message: 'Enter your password.' }).max(1024),
      })
      .strict(),
    kiosk: 'only',
  }),

  // Issue 4: your own password, the idle lock, staff accounts, security settings, the audit log.
  'auth.changePassword': channel<null>()({
    input: z
      .object({
        currentPassword: z.string().min(1, { message: 'Enter your current password.' }).max(1024),
        newPassword: newPassword,
      })
      .strict(),
  }),
  'session.lock': channel<AppStatus>()({ input: noInput }),
  'session.unlock': channel<AppStatus>()({
    input: z.object({ password: z.string().min(1, { message: 'Enter your password.' }).max(1024) }).strict(),
  }),
  'session.touch': channel<null>()({ input: noInput }),
  'staff.list': channel<StaffAccount[]>()({ input: noInput }),
  'staff.create': channel<StaffAccount>()({
    input: z.object({ username, displayName: requiredText(120, 'the person’s name'), role, password: newPassword }).strict(),
  }),
  'staff.update': channel<StaffAccount>()({
    input: z
      .object({
        id: id('a staff member'),
        displayName: requiredText(120, 'the person’s name').optional(),
        role: role.optional(),
        active: z.boolean({ message: 'Say whether the account is active.' }).optional(),
      })
      .strict(),
  }),
  'staff.resetPassword': channel<StaffAccount>()({ input: z.object({ id: id('a staff member'), password: newPassword }).strict() }),
  'settings.security': channel<SecuritySettings>()({ input: noInput }),
  'settings.setSecurity': channel<SecuritySettings>()({
    input: z
      .object({
        // Seconds; the settings screen offers minutes. The short end is for tests and trials.
        idleLockSeconds: z
          .number({ message: 'Enter a number of minutes.' })
          .int({ message: 'Enter whole seconds.' })
          .min(3, { message: 'Use at least 3 seconds.' })
          .max(4 * 60 * 60, { message: 'Use at most 240 minutes.' }),
      })
      .strict(),
  }),
  'audit.list': channel<AuditPage>()({
    input: z
      .object({
        offset: z.number().int({ message: 'Enter a whole number.' }).min(0).max(100_000_000),
        limit: z.number().int({ message: 'Enter a whole number.' }).min(1).max(200, { message: 'At most 200 rows at a time.' }),
        filter: z
          .object({
            staffId: id('a staff member').optional(),
            action: z.string().trim().min(1).max(60).optional(),
            from: z.iso.date({ message: 'Enter a date like 2026-01-31.' }).optional(),
            to: z.iso.date({ message: 'Enter a date like 2026-01-31.' }).optional(),
            targetType: z.string().trim().min(1).max(40).optional(),
            targetId: id('a record number').optional(),
          })
          .strict(),
      })
      .strict(),
  }),
  'audit.actions': channel<string[]>()({ input: noInput }),

  // Referrals, consents to share (42 CFR Part 2) and the agency directory.
  'agencies.list': channel<Agency[]>()({ input: z.object({ includeInactive: z.boolean().optional() }).strict() }),
  'agencies.save': channel<Agency>()({ input: agencyInput.extend({ id: id('an agency').optional() }) }),
  'agencies.setActive': channel<Agency>()({
    input: z.object({ id: id('an agency'), active: z.boolean({ message: 'Say whether the agency is active.' }) }).strict(),
  }),
  'consents.list': channel<Consent[]>()({ input: z.object({ participantId: id('a person') }).strict() }),
  'consents.create': channel<Consent>()({ input: consentInput }),
  'consents.revoke': channel<Consent>()({ input: z.object({ id: id('a consent'), note: optionalText(300), confirm: confirmed }).strict() }),
  'referrals.list': channel<ReferralPage>()({
    input: z
      .object({
        offset: z.number().int({ message: 'Enter a whole number.' }).min(0).max(10_000_000),
        limit: z.number().int({ message: 'Enter a whole number.' }).min(1).max(500, { message: 'At most 500 rows at a time.' }),
        filter: z
          .object({
            view: z.enum(['open', 'due', 'closed', 'all'], { message: 'Choose open, due, closed or all.' }).optional(),
            type: referralType.optional(),
            agencyId: id('an agency').optional(),
            participantId: id('a person').optional(),
          })
          .strict(),
      })
      .strict(),
  }),
  'referrals.get': channel<ReferralDetails>()({ input: z.object({ id: id('a referral') }).strict() }),
  'referrals.create': channel<ReferralDetails>()({
    input: z
      .object({
        participantId: id('a person'),
        agencyId: id('the agency'),
        type: referralType,
        note: optionalText(500),
        referredOn: day('the referral date').optional(),
        followUpOn: day('the follow-up date').nullable().optional(),
        consentId: id('a consent').nullable().optional(),
      })
      .strict(),
  }),
  'assessments.list': channel<Assessment[]>()({ input: z.object({ participantId: id('a person') }).strict() }),
  'assessments.create': channel<Assessment>()({
    input: z
      .object({
        participantId: id('a person'),
        takenOn: day('the date it was taken').optional(),
        answers: z
          .array(
            z
              .number({ message: 'Choose an answer.' })
              .int({ message: 'Choose an answer.' })
              .min(BARC10_MIN, { message: 'Choose an answer.' })
              .max(BARC10_MAX, { message: 'Choose an answer.' }),
          )
          .length(BARC10_ITEMS, { message: `Answer all ${BARC10_ITEMS} statements.` }),
        note: optionalText(500),
      })
      .strict(),
  }),
  'assessments.void': channel<Assessment>()({ input: z.object({ id: id('an assessment'), reason }).strict() }),
  'referrals.update': channel<ReferralDetails>()({
    input: z
      .object({
        id: id('a referral'),
        status: referralStatus.optional(),
        followUpOn: day('the follow-up date').nullable().optional(),
        note: optionalText(500),
        outcomeNote: optionalText(500),
      })
      .strict(),
  }),
  ...groupsContract,
} satisfies { readonly [C in ChannelName]: ChannelDef<z.ZodType, unknown> }

export { PASSIVE, PERMISSIONS, WHILE_CHANGING_PASSWORD, WHILE_LOCKED } from './permissions'

export type Contract = typeof contract
export type InputOf<C extends ChannelName> = z.input<Contract[C]['input']>
export type ParsedInputOf<C extends ChannelName> = z.output<Contract[C]['input']>
export type ResultOf<C extends ChannelName> = Exclude<Contract[C]['result'], undefined>
