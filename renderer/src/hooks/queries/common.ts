import type { QueryClient, QueryKey } from '@tanstack/react-query'

/**
 * The cache's keys that more than one feature reads or refreshes; each feature's own keys sit in
 * its file. The status is the one entry that outlives a sign-out.
 */
export const keys = {
  status: ['status'] as const,
  /** Today's board and the anonymous codes' visit counts. */
  visits: ['visits'] as const,
  /** Search results, the list, profiles: "last visit" and names change with any visit or edit. */
  participants: ['participants'] as const,
}

/**
 * A write's `meta` saying that, once answered, it refreshes the people and the visits it changed
 * itself: the change feed's echo of this window's own write, which main sends just before the
 * answer, then leaves them to it instead of reading them once more (hooks/live.ts).
 */
export const REFRESHES_PEOPLE_AND_VISITS = { refreshes: [keys.visits, keys.participants] as readonly QueryKey[] }

/** Everything that shows a person or a visit: refreshed together after any change to either. */
export async function refreshPeopleAndVisits(client: QueryClient): Promise<void> {
  await Promise.all([client.invalidateQueries({ queryKey: keys.visits }), client.invalidateQueries({ queryKey: keys.participants })])
}

/** Drops every cached record but the status, then asks for the status again: the next person at this screen must not see them. */
export async function dropCachedRecords(client: QueryClient): Promise<void> {
  client.removeQueries({ predicate: (query) => query.queryKey[0] !== keys.status[0] })
  await client.invalidateQueries({ queryKey: keys.status })
}
