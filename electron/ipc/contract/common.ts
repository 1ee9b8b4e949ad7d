import { z } from 'zod'

/** What every feature's channels are made of: the channel definition and the field schemas several features share. */
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

export const channel =
  <Result>() =>
  <Input extends z.ZodType>(def: { input: Input; kiosk?: KioskAccess }): ChannelDef<Input, Result> =>
    def

export const noInput = z.object({}).strict()

/** An absolute folder path: /mnt/usb, D:\\Backups or \\\\server\\share. */
export const absolutePath = (what: string) =>
  z
    .string()
    .trim()
    .min(1, { message: `Enter ${what}.` })
    .max(1000, { message: 'Use at most 1000 characters.' })
    .refine((text) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(text), { message: 'Enter the full path, starting with / or a drive letter like D:\\.' })

export const count = (min: number, max: number) =>
  z
    .number({ message: 'Enter a number.' })
    .int({ message: 'Enter a whole number.' })
    .min(min, { message: `At least ${min}.` })
    .max(max, { message: `At most ${max}.` })

export const confirmed = z.literal(true, { message: 'Confirm first.' })

/** Trims, and turns an empty field into null: forms send '' for a field left blank. */
export const optionalText = (max: number) =>
  z
    .string()
    .max(max, { message: `Use at most ${max} characters.` })
    .transform((text) => text.trim() || null)
    .nullable()
    .optional()

export const requiredText = (max: number, what: string) =>
  z
    .string()
    .trim()
    .min(1, { message: `Enter ${what}.` })
    .max(max, { message: `Use at most ${max} characters.` })

export const currentYear = new Date().getFullYear()

export const id = (what: string) =>
  z
    .number({ message: `Choose ${what}.` })
    .int({ message: `Choose ${what}.` })
    .positive({ message: `Choose ${what}.` })
    .max(Number.MAX_SAFE_INTEGER)

export const birthYear = z
  .number({ message: 'Enter a year, like 1984.' })
  .int({ message: 'Enter a whole year, like 1984.' })
  .min(1900, { message: 'Enter a year from 1900 on.' })
  .max(currentYear, { message: 'A birth year cannot be in the future.' })

/** A real calendar date, YYYY-MM-DD, from 1900 up to today (a day of slack for time zones). */
export function isBirthDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false
  const at = new Date(`${text}T00:00:00Z`)
  if (Number.isNaN(at.getTime()) || at.toISOString().slice(0, 10) !== text) return false
  return text >= '1900-01-01' && at.getTime() <= Date.now() + 86_400_000
}

export const birthDate = z
  .string()
  .max(10, { message: 'Enter a date like 1984-03-21.' })
  .refine((text) => text.trim() === '' || isBirthDate(text.trim()), { message: 'Enter a real date of birth, like 1984-03-21.' })
  .transform((text) => text.trim() || null)
  .nullable()
  .optional()

export const phone = z
  .string()
  .max(30, { message: 'Use at most 30 characters.' })
  .regex(/^[0-9+().\-\s]*$/, { message: 'Use digits, spaces and + ( ) - only.' })
  .transform((text) => text.trim() || null)
  .nullable()
  .optional()

export const serviceLines = z
  .array(
    z
      .object({
        serviceId: id('a service'),
        quantity: z.number().int({ message: 'Enter a whole number.' }).min(1, { message: 'At least 1.' }).max(99, { message: 'At most 99.' }),
      })
      .strict(),
  )
  .max(50, { message: 'At most 50 services on one visit.' })

export const instant = (what: string) =>
  z.iso.datetime({ offset: true, message: `Enter ${what} as a date and time.` })

export const reason = z
  .string()
  .trim()
  .min(3, { message: 'Say briefly why (at least 3 characters).' })
  .max(300, { message: 'Use at most 300 characters.' })

export const anonymousCode = z
  .string()
  .max(12, { message: 'Use at most 12 letters or digits.' })
  .regex(/^[\p{L}\p{N}\s-]*$/u, { message: 'Use letters and digits only.' })

export const username = z
  .string()
  .trim()
  .min(3, { message: 'Use at least 3 characters.' })
  .max(60, { message: 'Use at most 60 characters.' })
  .regex(/^[A-Za-z0-9._-]+$/, { message: 'Use letters, digits, dot, dash or underscore only.' })

export const newPassword = z.string().min(10, { message: 'Use at least 10 characters.' }).max(1024, { message: 'Use at most 1024 characters.' })

/** A calendar day at the center, YYYY-MM-DD. */
export const day = (what: string) => z.iso.date({ message: `Enter ${what} as a date like 2026-01-31.` })
