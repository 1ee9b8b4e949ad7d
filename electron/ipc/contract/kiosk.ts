import { z } from 'zod'
import type { CatalogService, KioskMatch, StaffSummary } from '../../../db/types'
import { channel, noInput, id, birthYear, serviceLines } from './common'
import type { AppStatus } from './app'

/** Self check-in. `kiosk.enter` is a desk channel; the rest answer only on a kiosk screen. */
export const kioskFindInput = z
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

export const kioskChannels = {
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
}
