import { z } from 'zod'
import type { CatalogService, ParticipantSummary, Role, StaffSummary, TodayVisit } from '../../db/types'
import type { ChannelName } from './channels'

/**
 * The one list of what the renderer may ask of main. Each channel: the zod schema its input
 * must pass, the result type it returns, and who may call it. `public` channels work without a
 * signed-in staff member (status, setup, sign-in itself); everything else names its roles.
 */
export type Access = 'public' | readonly Role[]

export interface ChannelDef<Input extends z.ZodType, Result> {
  readonly input: Input
  readonly access: Access
  /** Type-only: carries the result type to both sides. Never set at run time. */
  readonly result?: Result
}

const channel =
  <Result>() =>
  <Input extends z.ZodType>(def: { input: Input; access: Access }): ChannelDef<Input, Result> =>
    def

const STAFF: readonly Role[] = ['front_desk', 'facilitator', 'peer_specialist', 'manager', 'admin']
const CHECK_IN: readonly Role[] = STAFF

const noInput = z.object({}).strict()

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

export type AppPhase = 'unlock' | 'setup' | 'error' | 'signed-out' | 'signed-in'

export interface AppStatus {
  phase: AppPhase
  centerName: string | null
  staff: StaffSummary | null
  /** What protects the database key on this computer; 'passphrase' means setup must ask for one. */
  keyProtection: 'os' | 'passphrase' | 'file' | 'env'
  error: { code: string; message: string } | null
}

export const participantInput = z
  .object({
    firstName: optionalText(60),
    nickname: optionalText(60),
    lastName: optionalText(60),
    birthYear: z
      .number()
      .int({ message: 'Enter a whole year, like 1984.' })
      .min(1900, { message: 'Enter a year from 1900 on.' })
      .max(currentYear, { message: 'A birth year cannot be in the future.' })
      .nullable()
      .optional(),
    phone: z
      .string()
      .max(30, { message: 'Use at most 30 characters.' })
      .regex(/^[0-9+().\-\s]*$/, { message: 'Use digits, spaces and + ( ) - only.' })
      .transform((text) => text.trim() || null)
      .nullable()
      .optional(),
  })
  .strict()
  .refine((p) => Boolean(p.firstName || p.nickname), {
    message: 'Enter a first name or a nickname.',
    path: ['firstName'],
  })

export const contract = {
  'app.status': channel<AppStatus>()({ input: noInput, access: 'public' }),
  'app.unlock': channel<AppStatus>()({
    input: z.object({ passphrase: z.string().min(1, { message: 'Enter the passphrase.' }).max(1024) }).strict(),
    access: 'public',
  }),
  'setup.create': channel<{ recoveryKey: string; staff: StaffSummary }>()({
    input: z
      .object({
        centerName: requiredText(120, 'the center’s name'),
        adminName: requiredText(120, 'your name'),
        username: z
          .string()
          .trim()
          .min(3, { message: 'Use at least 3 characters.' })
          .max(60, { message: 'Use at most 60 characters.' })
          .regex(/^[A-Za-z0-9._-]+$/, { message: 'Use letters, digits, dot, dash or underscore only.' }),
        password: z.string().min(10, { message: 'Use at least 10 characters.' }).max(1024),
        passphrase: z.string().min(10, { message: 'Use at least 10 characters.' }).max(1024).optional(),
      })
      .strict(),
    access: 'public',
  }),
  'auth.login': channel<StaffSummary>()({
    input: z
      .object({
        username: z.string().trim().min(1, { message: 'Enter your username.' }).max(60),
        password: z.string().min(1, { message: 'Enter your password.' }).max(1024),
      })
      .strict(),
    access: 'public',
  }),
  'auth.logout': channel<null>()({ input: noInput, access: STAFF }),
  'catalog.services': channel<CatalogService[]>()({ input: noInput, access: CHECK_IN }),
  'participants.search': channel<ParticipantSummary[]>()({
    input: z
      .object({
        text: z.string().max(100, { message: 'Search for at most 100 characters.' }),
        limit: z.number().int().min(1).max(50).optional(),
      })
      .strict(),
    access: CHECK_IN,
  }),
  'participants.create': channel<ParticipantSummary>()({ input: participantInput, access: CHECK_IN }),
  'visits.signIn': channel<TodayVisit>()({
    input: z
      .object({
        participantId: z.number().int().positive().nullable(),
        anonymousCode: z
          .string()
          .max(12, { message: 'Use at most 12 letters or digits.' })
          .regex(/^[\p{L}\p{N}\s-]*$/u, { message: 'Use letters and digits only.' })
          .nullable()
          .optional(),
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
    access: CHECK_IN,
  }),
  'visits.today': channel<TodayVisit[]>()({ input: noInput, access: CHECK_IN }),
} satisfies { readonly [C in ChannelName]: ChannelDef<z.ZodType, unknown> }

export type Contract = typeof contract
export type InputOf<C extends ChannelName> = z.input<Contract[C]['input']>
export type ParsedInputOf<C extends ChannelName> = z.output<Contract[C]['input']>
export type ResultOf<C extends ChannelName> = Exclude<Contract[C]['result'], undefined>
