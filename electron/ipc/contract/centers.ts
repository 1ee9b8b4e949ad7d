import { z } from 'zod'
import type { CenterSummary } from '../../../db/types'
import { channel, id, noInput, requiredText } from './common'

export type { CenterSummary }

/** The centers a signed-in staff member may work in, and the one this window works in now. */
export interface MyCenters {
  current: CenterSummary
  centers: CenterSummary[]
}

/**
 * Several centers on one server (issue 15): which center this window works in, and an admin's
 * list of centers and grants. A window's center lives in main (the session), never in the renderer.
 */
export const centersChannels = {
  'centers.mine': channel<MyCenters>()({ input: noInput }),
  /** Work in another center granted to this account: every list, search and board follows. */
  'centers.switch': channel<MyCenters>()({ input: z.object({ centerId: id() }).strict() }),
  'centers.list': channel<CenterSummary[]>()({ input: noInput }),
  'centers.create': channel<CenterSummary>()({ input: z.object({ name: requiredText(100) }).strict() }),
  /** The centers an account works in: its home center and any others (replacing what it had). */
  'centers.grant': channel<null>()({
    input: z
      .object({ staffId: id(), homeCenterId: id(), otherCenterIds: z.array(id()).max(50) })
      .strict(),
  }),
} as const
