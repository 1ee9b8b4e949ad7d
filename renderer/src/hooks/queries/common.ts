import type { QueryClient } from '@tanstack/react-query'

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

/** Everything that shows a person or a visit: refreshed together after any change to either. */
export async function refreshPeopleAndVisits(client: QueryClient): Promise<void> {
  await Promise.all([client.invalidateQueries({ queryKey: keys.visits }), client.invalidateQueries({ queryKey: keys.participants })])
}

/** Drops every cached record but the status, then asks for the status again: the next person at this screen must not see them. */
export async function dropCachedRecords(client: QueryClient): Promise<void> {
  client.removeQueries({ predicate: (query) => query.queryKey[0] !== keys.status[0] })
  await client.invalidateQueries({ queryKey: keys.status })
}
