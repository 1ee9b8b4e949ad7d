import { ServiceError } from '../../../db/services/context'
import { authenticate, recordLogout, signInStaff } from '../../../db/services/staff'
import type { appChannels } from '../contract/app'
import type { FeatureHandlers } from './types'
import { log } from '../../../db/log'

/** A window may log this many errors a minute; a renderer stuck in a loop cannot fill the disk. */
export const RENDERER_ERRORS_PER_MINUTE = 10

/** The handlers for app, setup, sign-in and the idle lock: each a thin call into a db/ use case; input is already parsed. */
export const appHandlers: FeatureHandlers<typeof appChannels> = {
  'app.status': async (_input, { core, session }) => {
    await core.retryAfterError()
    return core.status(session)
  },
  'app.unlock': async ({ passphrase }, { core, session }) => {
    await core.unlock(passphrase)
    return core.status(session)
  },
  'app.restoreBackup': async (_input, { core }) => core.restoreLatestBackup(),
  'setup.testServer': async (connection, { core }) => {
    const found = await core.testConnection(connection)
    return { where: found.where, version: found.server.version, tls: found.server.tls, holds: found.holds, centerName: found.centerName, setUp: found.setUp }
  },
  'setup.connectServer': async ({ connection, passphrase }, { core, session }) => {
    await core.connectServer({ ...connection, ...(passphrase ? { passphrase } : {}) })
    return core.status(session)
  },
  'setup.create': async (input, { core, session }) => {
    const result = await core.setup(input)
    core.signIn(session, result.staff)
    await core.enterHomeCenter(session)
    return result
  },
  'auth.login': async ({ username, password }, { core, session }) => {
    // On a locked window someone else may sign in instead: that signs the first person out.
    const previous = session.staff
    const { staff, mustChangePassword } = await signInStaff(core.context(session), username, password)
    if (previous && previous.id !== staff.id) await recordLogout(core.context(session), 'replaced')
    core.signIn(session, staff, mustChangePassword)
    await core.enterHomeCenter(session)
    return staff
  },
  'auth.logout': async (_input, { core, session }) => {
    await recordLogout(core.context(session))
    core.signOut(session)
    return null
  },
  'session.lock': async (_input, { core, session }) => {
    session.locked = true
    return core.status(session)
  },
  'session.unlock': async ({ password }, { core, session }) => {
    const staff = session.staff
    if (!staff) throw new ServiceError('CONFLICT', 'door.signedOut')
    if (session.locked) {
      // The same rules as signing in: wrong passwords count toward the account's lockout.
      await authenticate(core.context(session), staff.username, password, { via: 'unlock' })
      session.locked = false
      session.lastActivity = core.now().getTime()
    }
    return core.status(session)
  },
  'session.touch': async () => null,
  'app.logError': async ({ message, stack }, { core, session }) => {
    const now = core.now().getTime()
    const recent = (session.errorsLogged ?? []).filter((at) => now - at < 60_000)
    if (recent.length >= RENDERER_ERRORS_PER_MINUTE) {
      session.errorsLogged = recent
      return { logged: false }
    }
    session.errorsLogged = [...recent, now]
    // Rebuilt as an Error so the message and the stack go through the log's redaction rule.
    const error = new Error(message)
    error.name = 'RendererError'
    error.stack = `RendererError: ${message}\n${stack ?? ''}`
    log.warn('renderer.error', {}, error)
    return { logged: true }
  },
  'setup.recover': async (input, { core, session }) => {
    await core.recover(input)
    return core.status(session)
  },
}
