import { z } from 'zod'
import type { CenterRow, CentersOverview, CenterSummary, CountingRule, MatchCandidate, MatchGroup, MatchRecord, PersonMatchesOverview, StaffCenters } from '../../../db/types'
import { channel, id, noInput, requiredText, rowVersion } from './common'

export type { CenterRow, CentersOverview, CenterSummary, CountingRule, MatchCandidate, MatchGroup, MatchRecord, PersonMatchesOverview, StaffCenters }

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
  /** The admin's Centers screen: every center with its counts, and the organization's counting rule. */
  'centers.list': channel<CentersOverview>()({ input: noInput }),
  'centers.create': channel<CenterSummary>()({ input: z.object({ name: requiredText(100) }).strict() }),
  /** A new name; `version` as the screen read it (a rename over another PC's change is refused). */
  'centers.rename': channel<CenterSummary>()({ input: z.object({ id: id(), name: requiredText(100), version: rowVersion() }).strict() }),
  /** Archive a center (never delete it) or bring it back. */
  'centers.archive': channel<null>()({ input: z.object({ id: id(), archived: z.boolean(), version: rowVersion() }).strict() }),
  /** Every account's home center and other granted centers, for the staff screen. */
  'centers.grants': channel<StaffCenters[]>()({ input: noInput }),
  /** The centers an account works in: its home center and any others (replacing what it had). */
  'centers.grant': channel<null>()({
    input: z
      .object({ staffId: id(), homeCenterId: id(), otherCenterIds: z.array(id()).max(50) })
      .strict(),
  }),
  /** Whether the centers have agreed to match people (issue 15 point 4): a person counts once for the organization only then. */
  'centers.setCountingRule': channel<CountingRule>()({ input: z.object({ matchPeople: z.boolean() }).strict() }),
  /**
   * Matching a person's records across centers (db/services/person-matches.ts), an organization
   * admin's: the likely pairs and the groups matched so far; confirm a pair, say a pair is two
   * people, or take a record out of its group (`version` as the review read it).
   */
  'centers.matches': channel<PersonMatchesOverview>()({ input: noInput }),
  'centers.confirmMatch': channel<MatchGroup>()({ input: z.object({ firstId: id(), secondId: id() }).strict() }),
  'centers.dismissMatch': channel<null>()({ input: z.object({ firstId: id(), secondId: id() }).strict() }),
  'centers.undoMatch': channel<null>()({ input: z.object({ participantId: id(), version: rowVersion() }).strict() }),
} as const
