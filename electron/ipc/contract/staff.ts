import { z } from 'zod'
import { ROLES } from '../../../db/types'
import type { Accounting, AuditPage, CenterHours, CenterSettings, SecuritySettings, StaffAccount } from '../../../db/types'
import { channel, noInput, requiredText, id, username, newPassword } from './common'

/** Staff accounts, one's own password, security settings and the audit log. */
export const role = z.enum(ROLES, { message: 'Choose a role.' })

export const staffChannels = {
  // Issue 4: your own password, the idle lock, staff accounts, security settings, the audit log.
  'auth.changePassword': channel<null>()({
    input: z
      .object({
        currentPassword: z.string().min(1, { message: 'Enter your current password.' }).max(1024),
        newPassword: newPassword,
      })
      .strict(),
  }),
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
  'settings.hours': channel<CenterHours>()({ input: noInput }),
  'settings.setHours': channel<CenterHours>()({
    input: z
      .object({
        opensAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'Enter the opening time like 09:00.' }),
        closesAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'Enter the closing time like 17:00.' }),
      })
      .strict()
      .refine((hours) => hours.closesAt > hours.opensAt, {
        message: 'The closing time must be later than the opening time on the same day (at the latest 23:59).',
        path: ['closesAt'],
      }),
  }),
  'settings.center': channel<CenterSettings>()({ input: noInput }),
  'settings.setCenter': channel<CenterSettings>()({
    input: z
      .object({
        centerName: requiredText(120, 'the center’s name'),
        timeZone: z.string().trim().min(1, { message: 'Pick the center’s time zone from the list.' }).max(64),
        kioskResetSeconds: z
          .number({ message: 'Enter a number of seconds.' })
          .int({ message: 'Enter whole seconds.' })
          .min(15, { message: 'Use at least 15 seconds.' })
          .max(600, { message: 'Use at most 600 seconds.' }),
        requireService: z.boolean({ message: 'Say whether every visit needs a service.' }),
      })
      .strict(),
  }),
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
            participantId: id('a person').optional(),
          })
          .strict(),
      })
      .strict(),
  }),
  'audit.actions': channel<string[]>()({ input: noInput }),
  // Issue 18: one person's accounting of disclosures; blank dates: the six years up to today.
  'audit.accounting': channel<Accounting>()({
    input: z
      .object({
        participantId: id('a person'),
        from: z.iso.date({ message: 'Enter a date like 2026-01-31.' }).optional(),
        to: z.iso.date({ message: 'Enter a date like 2026-01-31.' }).optional(),
      })
      .strict()
      .refine((period) => period.from === undefined || period.to === undefined || period.from <= period.to, {
        message: 'The period ends before it starts. Choose an end date on or after the start date.',
        path: ['to'],
      }),
  }),
}
