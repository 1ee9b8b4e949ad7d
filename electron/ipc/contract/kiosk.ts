import { z } from 'zod'
import type { CatalogService, KioskAnswer, StaffSummary } from '../../../db/types'
import type { AppStatus } from './app'
import { birthYear, channel, noInput, says, serviceLines } from './common'

// Self check-in. `kiosk.enter` is a desk channel; the rest answer only on a kiosk screen.

/** Letters (any alphabet, with accents), spaces, apostrophes, dots and dashes; two letters at least. */
const kioskFirstName = z
  .string()
  .trim()
  .min(2, says('input.kioskFirstName'))
  .max(60)
  .regex(/^[\p{L}\p{M}][\p{L}\p{M}\s'’.-]*$/u, says('input.lettersOnly'))

const phoneLast4 = z.string().regex(/^\d{4}$/, says('input.kioskPhone'))

const kioskCode = z
  .string()
  .trim()
  .min(4, says('input.kioskCode'))
  .max(12)
  .regex(/^[A-Za-z0-9\s-]+$/, says('input.lettersDigits'))

/** A birthday without the year, MM-DD, that exists in some year (02-29 included). */
const birthday = z.string().refine((text) => /^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(text) && !['02-30', '02-31', '04-31', '06-31', '09-31', '11-31'].includes(text), {
  ...says('input.kioskBirthday'),
})

export const kioskFindInput = z
  .object({ firstName: kioskFirstName.optional(), birthYear: birthYear.optional(), phoneLast4: phoneLast4.optional(), code: kioskCode.optional() })
  .strict()
  .superRefine((input, ctx) => {
    if (input.code !== undefined) {
      if (input.firstName !== undefined || input.birthYear !== undefined || input.phoneLast4 !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['code'], ...says('input.kioskCodeOrName') })
      }
      return
    }
    if (input.firstName === undefined) ctx.addIssue({ code: 'custom', path: ['firstName'], ...says('input.kioskNeedFirstName') })
    if ((input.birthYear === undefined) === (input.phoneLast4 === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['birthYear'], ...says('input.kioskYearOrPhone') })
    }
  })

export const kioskVerifyInput = z
  .object({ phoneLast4: phoneLast4.optional(), birthday: birthday.optional(), code: kioskCode.optional() })
  .strict()
  .refine((input) => [input.phoneLast4, input.birthday, input.code].filter((value) => value !== undefined).length === 1, {
    ...says('input.kioskOneAnswer'),
    path: ['phoneLast4'],
  })

export const kioskChannels = {
  'kiosk.enter': channel<AppStatus>()({ input: noInput }),
  'kiosk.find': channel<KioskAnswer>()({ input: kioskFindInput, kiosk: 'only' }),
  'kiosk.verify': channel<KioskAnswer>()({ input: kioskVerifyInput, kiosk: 'only' }),
  'kiosk.services': channel<CatalogService[]>()({ input: noInput, kiosk: 'only' }),
  'kiosk.signIn': channel<null>()({ input: z.object({ services: serviceLines }).strict(), kiosk: 'only' }),
  'kiosk.exit': channel<StaffSummary>()({
    input: z
      .object({
        username: z.string().trim().min(1).max(60),
        password: z.string().min(1).max(1024),
      })
      .strict(),
    kiosk: 'only',
  }),
}
