import { recordRead } from '../../../db/services/audit-log'
import { checkDuplicates } from '../../../db/services/duplicates'
import { getFieldRules, setFieldRules } from '../../../db/services/field-rules'
import { mergeParticipants, undoMerge } from '../../../db/services/merges'
import { listParticipants } from '../../../db/services/participant-list'
import { createParticipant } from '../../../db/services/participants'
import { getParticipantProfile, updateParticipant } from '../../../db/services/profile'
import { searchParticipants } from '../../../db/services/search'
import type { participantsChannels } from '../contract/participants'
import type { FeatureHandlers } from './types'

/** Searches within this long of the last audited one belong to the same look-up. */
export const SEARCH_AUDIT_WINDOW_MS = 60_000

/** The handlers for people: each a thin call into a db/ use case; input is already parsed. */
export const participantsHandlers: FeatureHandlers<typeof participantsChannels> = {
  'participants.search': async ({ text, limit }, { core, session }) => {
    const found = await searchParticipants({ ...core.context(session), sqlite: core.database?.sqlite }, text, limit)
    // The fact and the count, never the text: what was typed is itself a name, and the log keeps it
    // forever. One row per minute of searching, not one per keystroke: each row is a disk flush,
    // and a keystroke's row says no more than the first one did.
    const now = core.now().getTime()
    if (text.trim() && !(session.searchAuditedAt !== undefined && now - session.searchAuditedAt < SEARCH_AUDIT_WINDOW_MS)) {
      await recordRead(core.context(session), { action: 'participant.search', detail: { results: found.length } })
      session.searchAuditedAt = now
    }
    return found
  },
  'participants.create': async (input, { core, session }) => createParticipant(core.context(session), input),
  'settings.fieldRules': async (_input, { core, session }) => getFieldRules(core.context(session).db),
  'settings.setFieldRules': async ({ rules }, { core, session }) => setFieldRules(core.context(session), rules),
  'participants.checkDuplicates': async (input, { core, session }) => checkDuplicates(core.context(session), input),
  // Audited inside the use case ('participant.view'), in the same transaction as the read.
  // Facilitators get the limited profile (names, pronouns, language); main decides, not the screen.
  'participants.get': async ({ id }, { core, session }) =>
    getParticipantProfile(core.context(session), id, { limited: session.staff?.role === 'facilitator' }),
  'participants.update': async ({ id, version, ...fields }, { core, session }) => updateParticipant(core.context(session), id, fields, version),
  'participants.list': async (input, { core, session }) => {
    const page = await listParticipants(core.context(session), input)
    const filter = input.filter
    const filtered = Boolean(filter?.text?.trim() || filter?.visitedSince || filter?.neverVisited)
    await recordRead(core.context(session), {
      action: 'participant.list',
      detail: { offset: input.offset, rows: page.rows.length, total: page.total, filtered },
    })
    return page
  },
  'participants.merge': async ({ keepId, mergeId, note, keepVersion, mergeVersion }, { core, session }) =>
    mergeParticipants(core.context(session), keepId, mergeId, note, { keep: keepVersion, merge: mergeVersion }),
  'participants.undoMerge': async ({ mergeId }, { core, session }) => undoMerge(core.context(session), mergeId),
}
