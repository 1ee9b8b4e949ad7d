import {
  addSupervision,
  addTraining,
  confirmTraining,
  openDocument,
  renewCredential,
  saveCredential,
  workforceLists,
  workforceOverview,
  workforcePerson,
  workforceReminders,
  workforceReport,
  type Viewer,
} from '../../../db/services/workforce'
import { deleteCategory, deleteKind, saveCategory, saveKind, workforceSettings } from '../../../db/services/workforce-settings'
import type { workforceChannels } from '../contract/workforce'
import type { Session } from '../core'
import type { FeatureHandlers } from './types'

/** Who is looking: the door has already let only signed-in staff of the permitted roles through. */
function viewerOf(session: Session): Viewer {
  const staff = session.staff
  if (!staff) throw new Error('workforce handlers need a signed-in staff member (the door checks this first)')
  return { staffId: staff.id, role: staff.role }
}

/** The peer workforce's handlers: thin calls into db/services/workforce.ts, which decides whose records each viewer may see. */
export const workforceHandlers: FeatureHandlers<typeof workforceChannels> = {
  'workforce.lists': async (_input, { core, session }) => workforceLists(core.context(session), viewerOf(session)),
  'workforce.overview': async (_input, { core, session }) => workforceOverview(core.context(session), viewerOf(session)),
  'workforce.person': async ({ staffId }, { core, session }) => workforcePerson(core.context(session), viewerOf(session), staffId),
  'workforce.saveCredential': async (input, { core, session }) => saveCredential(core.context(session), input),
  'workforce.renewCredential': async (input, { core, session }) => renewCredential(core.context(session), input),
  'workforce.addTraining': async (input, { core, session }) => addTraining(core.context(session), viewerOf(session), input),
  'workforce.confirmTraining': async ({ id }, { core, session }) => confirmTraining(core.context(session), id),
  'workforce.addSupervision': async (input, { core, session }) => addSupervision(core.context(session), input),
  'workforce.settings': async (_input, { core, session }) => workforceSettings(core.context(session).db),
  'workforce.saveKind': async (input, { core, session }) => saveKind(core.context(session), input),
  'workforce.deleteKind': async ({ id }, { core, session }) => deleteKind(core.context(session), id),
  'workforce.saveCategory': async (input, { core, session }) => saveCategory(core.context(session), input),
  'workforce.deleteCategory': async ({ id }, { core, session }) => deleteCategory(core.context(session), id),
  'workforce.document': async ({ id }, { core, session }) => openDocument(core.context(session), viewerOf(session), id),
  'workforce.reminders': async (_input, { core, session }) => workforceReminders(core.context(session), viewerOf(session)),
  'workforce.report': async (input, { core, session }) => workforceReport(core.context(session), input),
}
