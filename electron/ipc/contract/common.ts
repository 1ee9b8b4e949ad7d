import { z } from 'zod'
import { dateTimeFormat } from '../../../shared/intl'
import type { MessageKey } from '../../../shared/messages'

/**
 * A check's message in the contract: a key of the shared catalog, never a sentence, so the door
 * words it in the screen's language (dispatch.ts `problemOf`). Checks without one are worded
 * from zod's own issue (too short, too big, not a date…) with the field's name.
 */
export const says = (key: MessageKey) => ({ message: key })

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
export const absolutePath = () =>
  z
    .string()
    .trim()
    .min(1)
    .max(1000)
    .refine((text) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(text), says('input.fullPath'))

export const count = (min: number, max: number) =>
  z
    .number()
    .int()
    .min(min)
    .max(max)

export const confirmed = z.literal(true, says('input.confirm'))

/** Trims, and turns an empty field into null: forms send '' for a field left blank. */
export const optionalText = (max: number) =>
  z
    .string()
    .max(max)
    .transform((text) => text.trim() || null)
    .nullable()
    .optional()

export const requiredText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)

export const id = () =>
  z
    .number()
    .int()
    .positive()
    .max(Number.MAX_SAFE_INTEGER)

/** A row version (migration 0035) as a form read it: a whole number from 1. */
export const rowVersion = () => id()

/**
 * The screen's id for one write with no natural key (a UUID, the same on a retry of that write):
 * a retry after the answer was lost gets the first answer instead of a second record (0050).
 */
export const requestId = () => z.uuid()

/**
 * The clock and zone the "not in the future" checks below read. In main the door parses each
 * call's input on its core's clock and the center's zone (withContractClock); in the renderer they
 * are the computer's, which is the app's own.
 */
interface ContractClock {
  now: () => Date
  timeZone: string | undefined
}
let contractClock: ContractClock = { now: () => new Date(), timeZone: undefined }

/** Runs a (synchronous) parse with the checks above on the given clock and zone. */
export function withContractClock<T>(clock: ContractClock, parse: () => T): T {
  const before = contractClock
  contractClock = clock
  try {
    return parse()
  } finally {
    contractClock = before
  }
}

function thisYear(): number {
  return Number(dateTimeFormat('en-US', { timeZone: contractClock.timeZone, year: 'numeric' }).format(contractClock.now()))
}

export const birthYear = z
  .number(says('input.birthYear'))
  .int(says('input.birthYear'))
  .min(1900, says('input.birthYear'))
  // This year as of the call, not as of start-up: the app stays open across New Year.
  .refine((year) => year <= thisYear(), says('input.birthYear'))

/** A real calendar date, YYYY-MM-DD, from 1900 up to today (a day of slack for time zones). */
export function isBirthDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false
  const at = new Date(`${text}T00:00:00Z`)
  if (Number.isNaN(at.getTime()) || at.toISOString().slice(0, 10) !== text) return false
  return text >= '1900-01-01' && at.getTime() <= contractClock.now().getTime() + 86_400_000
}

export const birthDate = z
  .string()
  .max(10, says('input.birthDate'))
  .refine((text) => text.trim() === '' || isBirthDate(text.trim()), says('input.birthDate'))
  .transform((text) => text.trim() || null)
  .nullable()
  .optional()

export const phone = z
  .string()
  .max(30)
  .regex(/^[0-9+().\-\s]*$/, says('input.phone'))
  .transform((text) => text.trim() || null)
  .nullable()
  .optional()

export const serviceLines = z
  .array(
    z
      .object({
        serviceId: id(),
        quantity: z.number().int().min(1).max(99),
      })
      .strict(),
  )
  .max(50)

export const instant = () =>
  z.iso.datetime({ offset: true, ...says('input.dateTime') })

export const reason = z
  .string()
  .trim()
  .min(3, says('input.reason'))
  .max(300)

export const anonymousCode = z
  .string()
  .max(12)
  .regex(/^[\p{L}\p{N}\s-]*$/u, says('input.lettersDigits'))

export const username = z
  .string()
  .trim()
  .min(3)
  .max(60)
  .regex(/^[A-Za-z0-9._-]+$/, says('input.username'))

export const newPassword = z.string().min(10).max(1024)

/** A calendar day at the center, YYYY-MM-DD. */
export const day = () => z.iso.date(says('input.date'))
