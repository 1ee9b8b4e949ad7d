import { listActiveServices } from '../../db/services/catalog'
import { createParticipant, searchParticipants } from '../../db/services/participants'
import { authenticate, recordLogout } from '../../db/services/staff'
import { signIn, todayVisits } from '../../db/services/visits'
import type { ChannelName } from './channels'
import type { ParsedInputOf, ResultOf } from './contract'
import type { PorchlightCore, Session } from './core'

export interface CallContext {
  core: PorchlightCore
  session: Session
}

export type Handler<C extends ChannelName> = (input: ParsedInputOf<C>, call: CallContext) => Promise<ResultOf<C>>

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
  'participants.search': async ({ text, limit }, { core, session }) => searchParticipants(core.context(session), text, limit),
  'participants.create': async (input, { core, session }) => createParticipant(core.context(session), input),
  'visits.signIn': async (input, { core, session }) => signIn(core.context(session), input),
  'visits.today': async (_input, { core, session }) => todayVisits(core.context(session)),
}
