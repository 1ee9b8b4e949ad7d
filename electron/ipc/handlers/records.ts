import { recordsProgress, runRecordsTask } from '../../../db/services/records-import/run'
import { centerId } from '../../../db/services/centers'
import type { recordsChannels } from '../contract/records'
import type { FeatureHandlers } from './types'

/** A center's old records in from a spreadsheet: read and written on the worker thread, never on main's loop. */
export const recordsHandlers: FeatureHandlers<typeof recordsChannels> = {
  'records.chooseFile': async (_input, { core }) => core.platform.chooseSpreadsheet(),
  'records.preview': async ({ file, kind, mapping }, { core, session }) => {
    const ctx = core.context(session)
    return runRecordsTask(core.workerSource().source, core.workerKey(), 'preview', { file, kind, mapping, staffId: ctx.staffId, now: ctx.now().toISOString(), timeZone: ctx.timeZone, centerId: centerId(ctx) })
  },
  'records.import': async ({ file, kind, mapping, skipBadRows, matches }, { core, session }) => {
    const ctx = core.context(session)
    return runRecordsTask(core.workerSource().source, core.workerKey(), 'import', { file, kind, mapping, skipBadRows, matches, staffId: ctx.staffId, now: ctx.now().toISOString(), timeZone: ctx.timeZone, centerId: centerId(ctx) })
  },
  'records.progress': async (_input, { core }) => recordsProgress(core.workerSource().source),
}
