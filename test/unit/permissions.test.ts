import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FileKeyStore } from '../../db/keystore-file'
import { ROLES } from '../../db/schema'
import type { StaffSummary } from '../../db/services/setup'
import { CHANNELS, type ChannelName } from '../../electron/ipc/channels'
import { PERMISSIONS } from '../../electron/ipc/contract'
import { PorchlightCore, type Session } from '../../electron/ipc/core'
import { allowed, dispatch, ruleOf, type AccessRule } from '../../electron/ipc/dispatch'
import type { Envelope } from '../../electron/ipc/envelope'
import { coreTime } from '../clock'

/**
 * The whole role × channel matrix, written out by hand and independently of PERMISSIONS: if
 * anyone changes who may call what, this table must be changed with it, on purpose.
 * Columns: the five staff roles, a kiosk (self check-in) screen, and a window nobody signed in to.
 * `+` the door lets the call through; `-` it refuses with FORBIDDEN or NOT_SIGNED_IN.
 */
const EXPECTED = `
                               desk facil peer  mgr  admin kiosk none
app.status                       +    +    +    +    +     +    +
app.unlock                       +    +    +    +    +     -    +
app.restoreBackup                +    +    +    +    +     -    +
setup.testServer                 +    +    +    +    +     -    +
setup.connectServer              +    +    +    +    +     -    +
setup.create                     +    +    +    +    +     -    +
setup.recover                    +    +    +    +    +     -    +
auth.login                       +    +    +    +    +     -    +
auth.logout                      +    +    +    +    +     -    -
auth.changePassword              +    +    +    +    +     -    -
session.lock                     +    +    +    +    +     -    -
session.unlock                   +    +    +    +    +     -    -
session.touch                    +    +    +    +    +     -    -
app.logError                     +    +    +    +    +     +    +
about.info                       +    +    +    +    +     -    +
about.diagnostics                +    +    +    +    +     -    +
about.notices                    +    +    +    +    +     -    +
about.openLogFolder              -    -    -    -    +     -    -
updates.settings                 -    -    -    -    +     -    -
updates.save                     -    -    -    -    +     -    -
updates.check                    -    -    -    -    +     -    -
catalog.services                 +    +    +    +    +     -    -
settings.fieldRules              +    +    +    +    +     -    -
participants.search              +    +    +    +    +     -    -
participants.checkDuplicates     +    +    +    +    +     -    -
participants.create              +    +    +    +    +     -    -
participants.get                 +    +    +    +    +     -    -
visits.signIn                    +    +    +    +    +     -    -
visits.today                     +    +    +    +    +     -    -
visits.anonymousCodes            +    +    +    +    +     -    -
visits.signOut                   +    +    +    +    +     -    -
kiosk.enter                      +    +    +    +    +     -    -
participants.update              +    -    +    +    +     -    -
visits.update                    +    -    -    +    +     -    -
visits.void                      +    -    -    +    +     -    -
visits.signOutAll                +    -    -    +    +     -    -
visits.closingTime               +    -    -    +    +     -    -
visits.autoClosed                +    +    +    +    +     -    -
participants.list                -    -    +    +    +     -    -
participants.merge               -    -    +    +    +     -    -
participants.undoMerge           -    -    +    +    +     -    -
settings.setFieldRules           -    -    -    -    +     -    -
settings.security                -    -    -    -    +     -    -
settings.hours                   -    -    -    -    +     -    -
settings.setHours                -    -    -    -    +     -    -
settings.center                  -    -    -    -    +     -    -
settings.setCenter               -    -    -    -    +     -    -
settings.setSecurity             -    -    -    -    +     -    -
catalog.all                      -    -    -    -    +     -    -
catalog.add                      -    -    -    -    +     -    -
catalog.update                   -    -    -    -    +     -    -
catalog.retire                   -    -    -    -    +     -    -
catalog.reorder                  -    -    -    -    +     -    -
staff.list                       -    -    -    -    +     -    -
staff.create                     -    -    -    -    +     -    -
staff.update                     -    -    -    -    +     -    -
staff.resetPassword              -    -    -    -    +     -    -
audit.list                       -    -    -    -    +     -    -
audit.actions                    -    -    -    -    +     -    -
audit.accounting                 -    -    -    -    +     -    -
backups.overview                 -    -    -    -    +     -    -
backups.saveSettings             -    -    -    -    +     -    -
backups.list                     -    -    -    -    +     -    -
backups.run                      -    -    -    -    +     -    -
backups.progress                 -    -    -    -    +     -    -
backups.preview                  -    -    -    -    +     -    -
backups.restore                  -    -    -    -    +     -    -
backups.chooseFolder             -    -    -    -    +     -    -
backups.checkNow                 -    -    -    -    +     -    -
export.everything                -    -    -    -    +     -    -
security.newRecoveryKey          -    -    -    -    +     -    -
retention.policy                 -    -    -    -    +     -    -
retention.savePolicy             -    -    -    -    +     -    -
retention.preview                -    -    -    -    +     -    -
retention.apply                  -    -    -    -    +     -    -
agencies.list                    -    -    +    +    +     -    -
agencies.save                    -    -    +    +    +     -    -
agencies.setActive               -    -    +    +    +     -    -
directory.chooseFolder           -    -    -    +    +     -    -
directory.preview                -    -    -    +    +     -    -
directory.import                 -    -    -    +    +     -    -
directory.export                 -    -    -    +    +     -    -
records.chooseFile               -    -    -    -    +     -    -
records.preview                  -    -    -    -    +     -    -
records.import                   -    -    -    -    +     -    -
records.progress                 -    -    -    -    +     -    -
consents.list                    -    -    +    +    +     -    -
consents.create                  -    -    +    -    +     -    -
consents.revoke                  -    -    +    -    +     -    -
referrals.list                   -    -    +    +    +     -    -
referrals.requests               -    -    +    +    +     -    -
referrals.get                    -    -    +    +    +     -    -
referrals.summary                -    -    +    -    +     -    -
referrals.create                 -    -    +    -    +     -    -
referrals.update                 -    -    +    -    +     -    -
assessments.list                 -    -    +    +    +     -    -
assessments.create               -    -    +    -    +     -    -
assessments.void                 -    -    +    -    +     -    -
reports.dashboard                -    -    -    +    +     -    -
reports.funder                   -    -    -    +    +     -    -
reports.export                   -    -    -    +    +     -    -
reports.drillDown                -    -    -    +    +     -    -
reports.settings                 -    -    -    +    +     -    -
reports.saveSettings             -    -    -    +    +     -    -
reports.home                     -    -    -    +    +     -    -
sessions.today                   +    +    -    +    +     -    -
sessions.addPerson               +    +    -    +    +     -    -
groups.list                      -    +    -    +    +     -    -
groups.get                       -    +    -    +    +     -    -
sessions.week                    -    +    -    +    +     -    -
sessions.sheet                   -    +    -    +    +     -    -
sessions.mark                    -    +    -    +    +     -    -
sessions.markMany                -    +    -    +    +     -    -
sessions.markAnonymous           -    +    -    +    +     -    -
sessions.record                  -    +    -    +    +     -    -
groups.personHistory             -    -    +    +    +     -    -
groups.save                      -    -    -    +    +     -    -
groups.archive                   -    -    -    +    +     -    -
groups.staff                     -    -    -    +    +     -    -
groups.enroll                    -    -    -    +    +     -    -
groups.unenroll                  -    -    -    +    +     -    -
groups.admit                     -    -    -    +    +     -    -
sessions.change                  -    -    -    +    +     -    -
sessions.create                  -    -    -    +    +     -    -
closures.list                    -    -    -    +    +     -    -
closures.preview                 -    -    -    +    +     -    -
closures.create                  -    -    -    +    +     -    -
closures.delete                  -    -    -    +    +     -    -
groups.attendanceLetter          -    -    +    +    +     -    -
groups.settings                  -    -    -    -    +     -    -
groups.saveSettings              -    -    -    -    +     -    -
coaching.coaches                 -    -    +    +    +     -    -
coaching.get                     -    -    +    +    +     -    -
coaching.coachOf                 +    -    +    +    +     -    -
coaching.caseload                -    -    +    +    +     -    -
coaching.start                   -    -    +    +    +     -    -
coaching.update                  -    -    +    +    +     -    -
coaching.setStatus               -    -    +    +    +     -    -
coaching.renew                   -    -    +    +    +     -    -
coaching.transfer                -    -    +    +    +     -    -
coaching.schedule                -    -    +    +    +     -    -
coaching.meeting                 -    -    +    +    +     -    -
coaching.logContact              -    -    +    +    +     -    -
coaching.warmline                -    -    +    +    +     -    -
coaching.linkContact             -    -    +    +    +     -    -
coaching.saveGoal                -    -    +    +    +     -    -
coaching.saveStep                -    -    +    +    +     -    -
coaching.planSheet               -    -    +    +    +     -    -
coaching.settings                -    -    +    +    +     -    -
coaching.saveSettings            -    -    -    +    +     -    -
safety.checkIn                   +    +    +    +    +     -    -
careFlags.list                   +    -    +    +    +     -    -
careFlags.add                    -    -    +    +    +     -    -
careFlags.remove                 -    -    +    +    +     -    -
restrictions.list                -    -    -    +    +     -    -
restrictions.create              -    -    -    +    +     -    -
restrictions.lift                -    -    -    +    +     -    -
incidents.start                  +    +    +    +    +     -    -
incidents.update                 +    +    +    +    +     -    -
incidents.list                   +    +    +    +    +     -    -
incidents.get                    +    +    +    +    +     -    -
incidents.close                  -    -    -    +    +     -    -
staff.directory                  +    +    +    +    +     -    -
workforce.lists                  -    -    +    +    +     -    -
workforce.overview               -    -    +    +    +     -    -
workforce.person                 -    -    +    +    +     -    -
workforce.addTraining            -    -    +    +    +     -    -
workforce.document               -    -    +    +    +     -    -
workforce.reminders              -    -    +    +    +     -    -
workforce.saveCredential         -    -    -    +    +     -    -
workforce.renewCredential        -    -    -    +    +     -    -
workforce.confirmTraining        -    -    -    +    +     -    -
workforce.addSupervision         -    -    -    +    +     -    -
workforce.settings               -    -    -    +    +     -    -
workforce.saveKind               -    -    -    +    +     -    -
workforce.deleteKind             -    -    -    +    +     -    -
workforce.saveCategory           -    -    -    +    +     -    -
workforce.deleteCategory         -    -    -    +    +     -    -
workforce.report                 -    -    -    +    +     -    -
pdf.signInSheet                  -    +    -    +    +     -    -
pdf.funderReport                 -    -    -    +    +     -    -
centers.mine                     +    +    +    +    +     -    -
centers.switch                   +    +    +    +    +     -    -
centers.list                     -    -    -    -    +     -    -
centers.create                   -    -    -    -    +     -    -
centers.rename                   -    -    -    -    +     -    -
centers.archive                  -    -    -    -    +     -    -
centers.grants                   -    -    -    -    +     -    -
centers.grant                    -    -    -    -    +     -    -
centers.setCountingRule          -    -    -    -    +     -    -
centers.matches                  -    -    -    -    +     -    -
centers.confirmMatch             -    -    -    -    +     -    -
centers.dismissMatch             -    -    -    -    +     -    -
centers.undoMatch                -    -    -    -    +     -    -
kiosk.find                       -    -    -    -    -     +    -
kiosk.verify                     -    -    -    -    -     +    -
kiosk.services                   -    -    -    -    -     +    -
kiosk.signIn                     -    -    -    -    -     +    -
kiosk.exit                       -    -    -    -    -     +    -
`

const COLUMNS = [...ROLES, 'kiosk', 'none'] as const
type Column = (typeof COLUMNS)[number]
type Grid = Record<string, Record<Column, boolean>>

function parseExpected(): Grid {
  const lines = EXPECTED.trim().split('\n').slice(1)
  const grid: Grid = {}
  for (const line of lines) {
    const [channel, ...cells] = line.trim().split(/\s+/)
    expect(cells, channel).toHaveLength(COLUMNS.length)
    grid[channel!] = Object.fromEntries(COLUMNS.map((column, i) => [column, cells[i] === '+'])) as Record<Column, boolean>
  }
  return grid
}

const PERMISSION_CODES = new Set(['FORBIDDEN', 'NOT_SIGNED_IN'])
const refusedByDoor = (envelope: Envelope<unknown> | null): boolean => envelope !== null && !envelope.ok && PERMISSION_CODES.has(envelope.error.code)

function mismatches(expected: Grid, actual: Grid): string[] {
  const out: string[] = []
  for (const channel of Object.keys(actual)) {
    for (const column of COLUMNS) {
      if (expected[channel]?.[column] !== actual[channel]![column]) out.push(`${channel} × ${column}: expected ${expected[channel]?.[column] ? 'allowed' : 'refused'}`)
    }
  }
  return out
}

/**
 * The table itself against the hand-written one, entry by entry: a role added to a kiosk-only
 * channel changes nothing at the door (the kiosk flag refuses desk sessions first), but it is
 * still a changed entry and must fail.
 */
function tableMismatches(expected: Grid, rules: (channel: ChannelName) => AccessRule): string[] {
  const out: string[] = []
  for (const channel of CHANNELS) {
    const { access, kiosk } = rules(channel)
    const row = expected[channel]!
    for (const role of ROLES) {
      const listed = access === 'public' || access.includes(role)
      // Kiosk-only rows list no role: '-' in every role column.
      if (listed !== (row[role] && kiosk !== 'only')) out.push(`${channel} × ${role}: the table says ${listed ? 'allowed' : 'refused'}`)
    }
    if ((access === 'public') !== row.none) out.push(`${channel} × none: the table says ${access === 'public' ? 'public' : 'signed in'}`)
    if ((kiosk !== undefined) !== row.kiosk) out.push(`${channel} × kiosk: the flag says ${kiosk ?? 'desk only'}`)
  }
  return out
}

describe('the role × channel matrix', () => {
  let dir: string
  let core: PorchlightCore
  let admin: StaffSummary
  const sessionFor = (column: Column): Session => {
    if (column === 'none') return { staff: null }
    if (column === 'kiosk') return { staff: null, mode: 'kiosk', kiosk: { startedBy: admin.id, found: [], pending: [], lookups: [] } }
    return { staff: { ...admin, role: column } }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'porchlight-'))
    core = new PorchlightCore({ dbFile: join(dir, 'porchlight.db'), keyStore: new FileKeyStore(join(dir, 'porchlight.key')), ...coreTime() })
    await core.start()
    const created = await dispatch('setup.create', { centerName: 'Harbor House', adminName: 'Robin Admin', username: 'robin', password: 'a long enough password' }, { core, session: { staff: null } })
    if (!created.ok) throw new Error(created.error.message)
    admin = (created.value as { staff: StaffSummary }).staff
  })

  afterAll(async () => {
    await core.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('the hand-written table lists every channel exactly once', () => {
    expect(Object.keys(parseExpected()).sort()).toEqual([...CHANNELS].sort())
  })

  it('PERMISSIONS and the kiosk flags say exactly what the hand-written table says', () => {
    expect(tableMismatches(parseExpected(), ruleOf)).toEqual([])
  })

  it('every channel × every role, kiosk screen and no session, through the real dispatch path', async () => {
    const actual: Grid = {}
    for (const channel of CHANNELS) {
      actual[channel] = {} as Record<Column, boolean>
      for (const column of COLUMNS) {
        // An extra key fails every strict input: a call let through stops at INVALID_INPUT and runs nothing.
        const result = await dispatch(channel, { __probe: true }, { core, session: sessionFor(column) })
        if (!refusedByDoor(result)) expect(result, `${channel} × ${column}`).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
        actual[channel][column] = !refusedByDoor(result)
      }
    }
    expect(mismatches(parseExpected(), actual)).toEqual([])
  })

  /** The grid a (possibly altered) rule table gives, through the same access check dispatch uses. */
  function gridWith(rules: (channel: ChannelName) => AccessRule): Grid {
    const grid: Grid = {}
    for (const channel of CHANNELS) {
      grid[channel] = Object.fromEntries(
        COLUMNS.map((column) => [column, !refusedByDoor(allowed(channel, { core, session: sessionFor(column) }, rules(channel)))]),
      ) as Record<Column, boolean>
    }
    return grid
  }

  it('flipping any single entry of PERMISSIONS (or a kiosk flag) makes the comparison fail at that entry', () => {
    const expected = parseExpected()
    expect(mismatches(expected, gridWith(ruleOf))).toEqual([])
    let flips = 0
    for (const target of CHANNELS) {
      for (const column of COLUMNS) {
        const rule = ruleOf(target)
        let flipped: AccessRule
        if (column === 'kiosk') {
          flipped = { ...rule, kiosk: rule.kiosk === undefined ? 'also' : undefined }
        } else if (column === 'none') {
          flipped = { ...rule, access: rule.access === 'public' ? [...ROLES] : 'public' }
        } else {
          const roles = rule.access === 'public' ? [...ROLES] : [...rule.access]
          flipped = { ...rule, access: roles.includes(column) ? roles.filter((r) => r !== column) : [...roles, column] }
        }
        const rules = (channel: ChannelName) => (channel === target ? flipped : ruleOf(channel))
        const found = [...mismatches(expected, gridWith(rules)), ...tableMismatches(expected, rules)]
        expect(found.some((line) => line.startsWith(`${target} × ${column}:`)), `flipping ${target} × ${column}`).toBe(true)
        flips++
      }
    }
    expect(flips).toBe(CHANNELS.length * COLUMNS.length)
  })

  it('PERMISSIONS names only real roles, each at most once', () => {
    for (const channel of CHANNELS) {
      const access = PERMISSIONS[channel]
      if (access === 'public') continue
      expect(new Set(access).size, channel).toBe(access.length)
      for (const role of access) expect(ROLES, channel).toContain(role)
    }
  })
})
