import { addService, listActiveServices, listAllServices, reorderServices, retireService, updateService } from '../../db/services/catalog'
import { ServiceError } from '../../db/services/context'
import { checkDuplicates } from '../../db/services/duplicates'
import { getFieldRules, setFieldRules } from '../../db/services/field-rules'
import { kioskFind, kioskSignIn } from '../../db/services/kiosk'
import { mergeParticipants, undoMerge } from '../../db/services/merges'
import { listParticipants } from '../../db/services/participant-list'
import { createParticipant } from '../../db/services/participants'
import { getParticipantProfile, updateParticipant } from '../../db/services/profile'
import { searchParticipants } from '../../db/services/search'
import { authenticate, recordKioskEnter, recordLogout } from '../../db/services/staff'
import { anonymousCodes, signIn, signOut, signOutAll, todayVisits, updateVisit, voidVisit } from '../../db/services/visits'
import type { ChannelName } from './channels'
import type { ParsedInputOf, ResultOf } from './contract'
import type { PorchlightCore, Session } from './core'

export interface CallContext {
  core: PorchlightCore
  session: Session
}

export type Handler<C extends ChannelName> = (input: ParsedInputOf<C>, call: CallContext) => Promise<ResultOf<C>>

/** The kiosk part of a session; dispatch lets kiosk-only channels through only in kiosk mode. */
function kioskState(session: Session): { startedBy: number; found: number[] } {
  if (session.mode !== 'kiosk' || !session.kiosk) throw new ServiceError('CONFLICT', 'This screen is not in self check-in mode.')
  return session.kiosk
}

/** One handler per channel, each a thin call into a db/ use case. Input here is already parsed. */
export const handlers: { readonly [C in ChannelName]: Handler<C> } = {
  'app.status': async (_input, { core, session }) => {
    await core.retryAfterError()
    return core.status(session)
  },
  'app.unlock': async ({ passphrase }, { core, session }) => {
    await core.unlock(passphrase)
    return core.status(session)
  },
  'app.restoreBackup': async (_input, { core }) => core.restoreLatestBackup(),
  'setup.create': async (input, { core, session }) => {
    const result = await core.setup(input)
    session.staff = result.staff
    return result
  },
  'auth.login': async ({ username, password }, { core, session }) => {
    const staff = await authenticate(core.context(session), username, password)
    session.staff = staff
    return staff
  },
  'auth.logout': async (_input, { core, session }) => {
    await recordLogout(core.context(session))
    session.staff = null
    return null
  },
  'catalog.services': async (_input, { core, session }) => listActiveServices(core.context(session)),
  'participants.search': async ({ text, limit }, { core, session }) => searchParticipants({ ...core.context(session), sqlite: core.database?.sqlite }, text, limit),
  'participants.create': async (input, { core, session }) => createParticipant(core.context(session), input),
  'visits.signIn': async (input, { core, session }) => signIn(core.context(session), input),
  'visits.today': async (filter, { core, session }) => todayVisits(core.context(session), filter),

  'settings.fieldRules': async (_input, { core, session }) => getFieldRules(core.context(session).db),
  'settings.setFieldRules': async ({ rules }, { core, session }) => setFieldRules(core.context(session), rules),

  'participants.checkDuplicates': async (input, { core, session }) => checkDuplicates(core.context(session), input),
  'participants.get': async ({ id }, { core, session }) => getParticipantProfile(core.context(session), id),
  'participants.update': async ({ id, ...fields }, { core, session }) => updateParticipant(core.context(session), id, fields),
  'participants.list': async (input, { core, session }) => listParticipants(core.context(session), input),
  'participants.merge': async ({ keepId, mergeId, note }, { core, session }) => mergeParticipants(core.context(session), keepId, mergeId, note),
  'participants.undoMerge': async ({ mergeId }, { core, session }) => undoMerge(core.context(session), mergeId),

  'visits.anonymousCodes': async ({ prefix }, { core, session }) => anonymousCodes(core.context(session), prefix),
  'visits.signOut': async ({ visitId }, { core, session }) => signOut(core.context(session), visitId),
  'visits.signOutAll': async (_input, { core, session }) => signOutAll(core.context(session)),
  'visits.update': async ({ visitId, ...changes }, { core, session }) => updateVisit(core.context(session), visitId, changes),
  'visits.void': async ({ visitId, reason }, { core, session }) => {
    await voidVisit(core.context(session), visitId, reason)
    return null
  },

  'catalog.all': async (_input, { core, session }) => listAllServices(core.context(session)),
  'catalog.add': async (input, { core, session }) => addService(core.context(session), input),
  'catalog.update': async ({ id, ...names }, { core, session }) => updateService(core.context(session), id, names),
  'catalog.retire': async ({ id, retired }, { core, session }) => retireService(core.context(session), id, retired),
  'catalog.reorder': async ({ ids }, { core, session }) => reorderServices(core.context(session), ids),

  'kiosk.enter': async (_input, { core, session }) => {
    const staff = session.staff
    if (!staff) throw new ServiceError('CONFLICT', 'Sign in first, then start self check-in.')
    await recordKioskEnter(core.context(session))
    // From here on this window has no staff member: records stay out of reach until one unlocks it.
    session.mode = 'kiosk'
    session.staff = null
    session.kiosk = { startedBy: staff.id, found: [] }
    return core.status(session)
  },
  'kiosk.find': async (input, { core, session }) => {
    const kiosk = kioskState(session)
    const query = input.code !== undefined ? { code: input.code } : { firstName: input.firstName!, birthYear: input.birthYear! }
    const matches = await kioskFind(core.context(session), query, kiosk.startedBy)
    kiosk.found = matches.map((match) => match.id)
    return matches
  },
  'kiosk.services': async (_input, { core, session }) => listActiveServices(core.context(session)),
  'kiosk.signIn': async (input, { core, session }) => {
    const kiosk = kioskState(session)
    const result = await kioskSignIn(core.context(session), input, kiosk)
    // One sign-in per search: the next person starts from their own name.
    kiosk.found = []
    return result
  },
  'kiosk.exit': async ({ username, password }, { core, session }) => {
    kioskState(session)
    const staff = await authenticate(core.context(session), username, password, { via: 'kiosk' })
    session.mode = 'desk'
    session.staff = staff
    delete session.kiosk
    return staff
  },
}
