import { z } from 'zod'
import {
  DOCUMENT_MAX_BYTES,
  MAX_HOURS_A_DAY,
  SUPERVISION_FORMATS,
  type Credential,
  type DocumentType,
  type SupervisionEntry,
  type TrainingEntry,
  type WorkforceLists,
  type WorkforceOverviewRow,
  type WorkforcePerson,
  type WorkforceReminder,
  type WorkforceReport,
  type WorkforceSettings,
  MAX_REQUIRED_HOURS,
} from '../../../db/workforce-types'
import { channel, day, id, noInput, optionalText, requiredText, says } from './common'

/**
 * A scanned copy as it crosses the door: its name and base64 bytes. The size is checked here
 * roughly (base64 is 4/3 of the bytes) and exactly in main, with the type, from the bytes themselves.
 */
const document = z
  .object({
    fileName: requiredText(200),
    base64: z
      .string()
      .max(Math.ceil((DOCUMENT_MAX_BYTES * 4) / 3) + 4, says('workforce.documentTooBig'))
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, says('workforce.documentType')),
  })
  .strict()
  .nullable()
  .optional()

const hours = z
  .number(says('workforce.hoursRange'))
  .positive(says('workforce.hoursRange'))
  .max(MAX_HOURS_A_DAY, says('workforce.hoursRange'))

const requiredHours = z
  .number(says('workforce.requiredHoursRange'))
  .min(0, says('workforce.requiredHoursRange'))
  .max(MAX_REQUIRED_HOURS, says('workforce.requiredHoursRange'))

const expiresAfterIssue = { ...says('workforce.expiryBeforeIssue'), path: ['expiresOn'] }

/** The peer workforce: credentials, training, supervision, reminders and the funder report's page (issue 16). */
export const workforceChannels = {
  'workforce.lists': channel<WorkforceLists>()({ input: noInput }),
  'workforce.overview': channel<WorkforceOverviewRow[]>()({ input: noInput }),
  'workforce.person': channel<WorkforcePerson>()({ input: z.object({ staffId: id() }).strict() }),
  'workforce.saveCredential': channel<Credential>()({
    input: z
      .object({
        id: id().optional(),
        staffId: id(),
        kindId: id(),
        issuer: requiredText(120),
        number: optionalText(60),
        issuedOn: day(),
        expiresOn: day().nullable().optional(),
        document,
      })
      .strict()
      .refine((c) => !c.expiresOn || c.expiresOn > c.issuedOn, expiresAfterIssue),
  }),
  'workforce.renewCredential': channel<Credential>()({
    input: z
      .object({ id: id(), issuedOn: day(), expiresOn: day(), number: optionalText(60), document })
      .strict()
      .refine((c) => c.expiresOn > c.issuedOn, expiresAfterIssue),
  }),
  'workforce.addTraining': channel<TrainingEntry>()({
    input: z
      .object({
        staffId: id(),
        takenOn: day(),
        title: requiredText(200),
        provider: optionalText(120),
        hours,
        categoryId: id(),
        document,
      })
      .strict(),
  }),
  'workforce.confirmTraining': channel<TrainingEntry>()({ input: z.object({ id: id() }).strict() }),
  'workforce.addSupervision': channel<SupervisionEntry>()({
    input: z
      .object({
        staffId: id(),
        supervisorId: id(),
        heldOn: day(),
        hours,
        format: z.enum(SUPERVISION_FORMATS),
        note: optionalText(300),
      })
      .strict()
      .refine((s) => s.staffId !== s.supervisorId, { ...says('workforce.selfSupervision'), path: ['supervisorId'] }),
  }),
  // The center's credential kinds (their requirements) and training categories: managers and admins.
  'workforce.settings': channel<WorkforceSettings>()({ input: noInput }),
  'workforce.saveKind': channel<WorkforceSettings>()({
    input: z
      .object({
        id: id().optional(),
        nameEn: requiredText(120),
        nameEs: requiredText(120),
        periodMonths: z.number().int(says('workforce.periodRange')).min(1, says('workforce.periodRange')).max(120, says('workforce.periodRange')),
        requiredHours: requiredHours,
        categoryHours: z.array(z.object({ categoryId: id(), hours: requiredHours }).strict()).max(50),
        active: z.boolean(),
      })
      .strict(),
  }),
  'workforce.deleteKind': channel<WorkforceSettings>()({ input: z.object({ id: id() }).strict() }),
  'workforce.saveCategory': channel<WorkforceSettings>()({
    input: z.object({ id: id().optional(), nameEn: requiredText(80), nameEs: requiredText(80), active: z.boolean() }).strict(),
  }),
  'workforce.deleteCategory': channel<WorkforceSettings>()({ input: z.object({ id: id() }).strict() }),
  'workforce.document': channel<{ fileName: string; mime: DocumentType; base64: string }>()({ input: z.object({ id: id() }).strict() }),
  'workforce.reminders': channel<WorkforceReminder[]>()({ input: noInput }),
  'workforce.report': channel<WorkforceReport>()({
    input: z
      .object({ from: day(), to: day() })
      .strict()
      .refine((r) => r.to >= r.from, { ...says('reports.endsBeforeStart'), path: ['to'] }),
  }),
}
