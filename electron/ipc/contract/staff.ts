import { z } from 'zod'
import { ROLES } from '../../../db/types'
import type { StaffRef } from '../../../db/groups-types'
import type { Accounting, AuditPage, CenterHours, CenterSettings, SecuritySettings, StaffAccount } from '../../../db/types'
import { channel, id, newPassword, noInput, requiredText, rowVersion, says, username } from './common'

/** Staff accounts, one's own password, security settings and the audit log. */
export const role = z.enum(ROLES)

export const staffChannels = {
  // Issue 4: your own password, the idle lock, staff accounts, security settings, the audit log.
  'auth.changePassword': channel<null>()({
    input: z
      .object({
        currentPassword: z.string().min(1).max(1024),
        newPassword: newPassword,
      })
      .strict(),
  }),
  'staff.list': channel<StaffAccount[]>()({ input: noInput }),
  /**
   * Who works here, for naming a colleague in an incident report: active staff's id and display
   * name only (no username, role or lockout), so every role that writes a report may read it.
   */
  'staff.directory': channel<StaffRef[]>()({ input: noInput }),
  'staff.create': channel<StaffAccount>()({
    input: z.object({ username, displayName: requiredText(120), role, password: newPassword }).strict(),
  }),
  'staff.update': channel<StaffAccount>()({
    input: z
      .object({
        id: id(),
        /** The account's version as the form read it: a change over another PC's is refused (STALE). */
        version: rowVersion().optional(),
        displayName: requiredText(120).optional(),
        role: role.optional(),
        active: z.boolean().optional(),
      })
      .strict(),
  }),
  'staff.resetPassword': channel<StaffAccount>()({ input: z.object({ id: id(), password: newPassword }).strict() }),
  'settings.hours': channel<CenterHours>()({ input: noInput }),
  'settings.setHours': channel<CenterHours>()({
    input: z
      .object({
        opensAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, says('hours.opensAt')),
        closesAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, says('hours.closesAt')),
      })
      .strict()
      .refine((hours) => hours.closesAt > hours.opensAt, {
        ...says('hours.closesBeforeOpens'),
        path: ['closesAt'],
      }),
  }),
  'settings.center': channel<CenterSettings>()({ input: noInput }),
  'settings.setCenter': channel<CenterSettings>()({
    input: z
      .object({
        // The window's center's name: its centers row allows 100 characters.
        centerName: requiredText(100),
        timeZone: z.string().trim().min(1, says('center.timeZone')).max(64),
        kioskResetSeconds: z.number().int().min(15).max(600),
        requireService: z.boolean(),
        // The version the form read (0: never saved yet); absent from the command line and scripts.
        version: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
        // The name's own version (its centers row), as the form read it.
        nameVersion: rowVersion().optional(),
      })
      .strict(),
  }),
  'settings.security': channel<SecuritySettings>()({ input: noInput }),
  'settings.setSecurity': channel<SecuritySettings>()({
    input: z
      .object({
        // Seconds; the settings screen offers minutes. The short end is for tests and trials.
        idleLockSeconds: z
          .number()
          .int()
          .min(3)
          .max(4 * 60 * 60),
      })
      .strict(),
  }),
  'audit.list': channel<AuditPage>()({
    input: z
      .object({
        offset: z.number().int().min(0).max(100_000_000),
        limit: z.number().int().min(1).max(200),
        filter: z
          .object({
            staffId: id().optional(),
            action: z.string().trim().min(1).max(60).optional(),
            from: z.iso.date(says('input.date')).optional(),
            to: z.iso.date(says('input.date')).optional(),
            targetType: z.string().trim().min(1).max(40).optional(),
            targetId: id().optional(),
            participantId: id().optional(),
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
        participantId: id(),
        from: z.iso.date(says('input.date')).optional(),
        to: z.iso.date(says('input.date')).optional(),
      })
      .strict()
      .refine((period) => period.from === undefined || period.to === undefined || period.from <= period.to, {
        ...says('audit.periodBackwards'),
        path: ['to'],
      }),
  }),
}
