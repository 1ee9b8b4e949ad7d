import { z } from 'zod'
import type { UpdateSettings, UpdateStatus } from '../../../db/update-types'
import { channel, noInput, says } from './common'

/**
 * Updates (issue 17): off by default; an admin turns them on with the address the center's IT
 * serves releases from. The status line itself is in About (about.info), for everyone.
 */
export interface UpdatesView {
  settings: UpdateSettings
  status: UpdateStatus
}

const url = z
  .string()
  .trim()
  .max(500, says('updates.url'))
  .refine((text) => text === '' || /^https?:\/\/[^\s/@]+(\/\S*)?$/i.test(text), says('updates.url'))

export const updatesChannels = {
  'updates.settings': channel<UpdatesView>()({ input: noInput }),
  'updates.save': channel<UpdatesView>()({ input: z.object({ enabled: z.boolean(), url: url.nullable() }).strict() }),
  /** "Check now": answers with the status after the check (a download, if any, goes on in the background). */
  'updates.check': channel<UpdatesView>()({ input: noInput }),
}
