import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EXIT } from '../../db/cli/admin'
import { progressBar } from '../../db/cli/progress'
import { generateKey } from '../../db/keys'
import { FileKeyStore } from '../../db/keystore-file'
import { createDatabase, openDatabase, type OpenDatabase } from '../../db/open'
import { seedDatabase, seedProfile, type SeedOptions } from '../../db/seed'
import { verifyAuditChain } from '../../db/services/audit'
import { columnsOf, valuesOf } from '../../db/services/participant-fields'
import { searchParticipants } from '../../db/services/search'
import { useTempDirs } from './helpers'
import { admin } from './admin-helpers'
import { runningClock } from '../clock'

const tempDir = useTempDirs()

async function seeded(options: Partial<SeedOptions> = {}): Promise<OpenDatabase> {
  const opened = await createDatabase(join(tempDir(), 'porchlight.db'), generateKey())
  const { until, endDate, ...rest } = options
  const base = { participants: 600, days: 60, ...rest }
  await seedDatabase(opened, until ? { ...base, until } : { ...base, endDate: endDate ?? new Date('2026-11-24T12:00:00Z') })
  return opened
}

const rows = (opened: OpenDatabase, query: string, ...params: unknown[]) => opened.sqlite.prepare(query).all(...params)

describe('seedDatabase', () => {
  it('gives the same people and visits for the same seed, and others for another', async () => {
    const dump = (opened: OpenDatabase) => ({
      people: rows(opened, 'SELECT * FROM participants ORDER BY id'),
      visits: rows(opened, 'SELECT * FROM visits ORDER BY id'),
      lines: rows(opened, 'SELECT * FROM visit_services ORDER BY visit_id, service_id'),
    })
    const a = dump(await seeded({ seed: 7 }))
    const b = dump(await seeded({ seed: 7 }))
    const c = dump(await seeded({ seed: 8 }))
    expect(b).toEqual(a)
    expect(c.people).not.toEqual(a.people)
    expect(a.people.length).toBe(600)
  })

  it('refers about a third of people, closes the old referrals, keeps recent ones open, and shares only under a consent for that agency', async () => {
    const opened = await seeded({ seed: 3 })
    const one = (query: string) => opened.sqlite.prepare(query).pluck().get() as number
    const referrals = one('SELECT count(*) FROM referrals')
    expect(referrals).toBeGreaterThan(600 * 0.5)
    expect(referrals).toBeLessThan(600 * 1.6)
    expect(one(`SELECT count(*) FROM referrals WHERE closed_on IS NULL AND referred_on < '2026-09-25'`)).toBe(0)
    expect(one('SELECT count(*) FROM referrals WHERE closed_on IS NULL')).toBeGreaterThan(0)
    expect(one(`SELECT count(*) FROM referrals WHERE closed_on IS NULL AND follow_up_on < '2026-11-24'`)).toBeGreaterThan(0)
    expect(one(`SELECT count(*) FROM referrals WHERE status = 'got_help'`) / one('SELECT count(*) FROM referrals WHERE closed_on IS NOT NULL')).toBeGreaterThan(0.3)
    expect(one('SELECT count(*) FROM referrals r WHERE NOT EXISTS (SELECT 1 FROM referral_events e WHERE e.referral_id = r.id)')).toBe(0)
    expect(one(`SELECT count(*) FROM referrals r JOIN consents c ON c.id = r.consent_id
      WHERE c.participant_id != r.participant_id OR c.agency_id != r.agency_id OR c.signed_on > r.referred_on`)).toBe(0)
    expect(one(`SELECT count(*) FROM referrals r WHERE NOT EXISTS (SELECT 1 FROM agency_referral_types t WHERE t.agency_id = r.agency_id AND t.type = r.type)`)).toBe(0)
    expect(opened.sqlite.pragma('foreign_key_check')).toEqual([])
    // Recovery capital for some, repeated while they kept coming.
    expect(one('SELECT count(DISTINCT participant_id) FROM assessments')).toBeGreaterThan(600 * 0.1)
    expect(one('SELECT count(*) FROM assessments')).toBeGreaterThan(one('SELECT count(DISTINCT participant_id) FROM assessments'))
  })

  it('has the rhythm of a real center: regulars nearly every weekday, most people a handful of times a year', async () => {
    const opened = await seeded({ participants: 1500, days: 365, visitsPerWeekday: 75, seed: 3 })
    const profile = seedProfile(opened.sqlite)
    expect(profile.topTenWeekdayShare).toBeGreaterThanOrEqual(0.6)
    expect(profile.medianVisitsPerYear).toBeGreaterThanOrEqual(2)
    expect(profile.medianVisitsPerYear).toBeLessThanOrEqual(12)
    expect(profile.weekdayAverage).toBeGreaterThan(75 * 0.85)
    expect(profile.weekdayAverage).toBeLessThan(75 * 1.15)
    expect(profile.weekendAverage / profile.weekdayAverage).toBeGreaterThan(0.3)
    expect(profile.weekendAverage / profile.weekdayAverage).toBeLessThan(0.55)
    expect(profile.anonymousShare).toBeGreaterThan(0.05)
    expect(profile.anonymousShare).toBeLessThan(0.11)
    expect(profile.anonymousWithCode).toBeGreaterThan(0.25)
    expect(profile.anonymousWithCode).toBeLessThan(0.55)
    expect(profile.servicesPerVisit).toBeGreaterThan(1.2)
    expect(profile.servicesPerVisit).toBeLessThan(2.5)
    // Some anonymous codes come back, as a returning anonymous visitor's would.
    expect(rows(opened, `SELECT anonymous_code FROM visits WHERE anonymous_code IS NOT NULL GROUP BY 1 HAVING count(*) > 3`).length).toBeGreaterThan(0)
    // Meals come in quantities, naloxone kits too.
    expect(rows(opened, `SELECT 1 FROM visit_services WHERE quantity > 1`).length).toBeGreaterThan(0)
  }, 120_000) // A year of a center: 20k visits, each counted into the reports' roll-ups by their triggers.

  it('fills every derived column the way the app does, so nothing disagrees with the visits', async () => {
    const opened = await seeded({ seed: 11 })
    const { sqlite } = opened
    // visit_count (kept by 0002's triggers) and last_visit_at agree with the visits.
    expect(
      rows(
        opened,
        `SELECT p.id FROM participants p
         WHERE p.visit_count <> (SELECT count(*) FROM visits v WHERE v.participant_id = p.id AND v.voided_at IS NULL)
            OR p.last_visit_at IS NOT (SELECT max(signed_in_at) FROM visits v WHERE v.participant_id = p.id AND v.voided_at IS NULL)`,
      ),
    ).toEqual([])
    // Nobody visits before being registered; the first visit of someone new is their registration day.
    expect(
      rows(opened, `SELECT p.id FROM participants p JOIN visits v ON v.participant_id = p.id WHERE v.signed_in_at < p.created_at`),
    ).toEqual([])
    // Keys, phone digits and birth years are what the app's own mapping makes of the names typed.
    const people = sqlite.prepare('SELECT * FROM participants').all() as Parameters<typeof valuesOf>[0][]
    for (const person of people) {
      const expected = columnsOf(valuesOf(person))
      for (const [column, value] of Object.entries(expected)) expect(person[column as keyof typeof person], column).toEqual(value)
      if (person.birth_date) expect(person.birth_year).toBe(Number(person.birth_date.slice(0, 4)))
      expect(person.code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$/)
    }
    // The search index holds everyone, and finds them.
    // (The index lists no rows by itself, 0065: every code starts with one of these characters.)
    const anyCode = `{code} : (${[...'23456789ABCDEFGHJKMNPQRSTUVWXYZ'].map((c) => `"${c}"*`).join(' OR ')})`
    expect(sqlite.prepare('SELECT count(*) FROM participant_search WHERE participant_search MATCH ?').pluck().get(anyCode)).toBe(600)
    const someone = people[123]!
    const found = await searchParticipants({ db: opened.db, sqlite, staffId: null, now: runningClock() }, someone.code)
    expect(found[0]!.id).toBe(someone.id)
    // The history the app would have written: an audit row per registration, sign-in and
    // sign-out, a visit_changes row per sign-out, all in time order, on an intact hash chain.
    // Visits made by group attendance are not desk sign-ins: like the app, the seed gives them no
    // sign-in row, and a past day's one is written already ended (seed-groups.ts).
    const count = (query: string) => sqlite.prepare(query).pluck().get() as number
    const desk = `id NOT IN (SELECT visit_id FROM attendance WHERE created_visit = 1)`
    const signedOut = count(`SELECT count(*) FROM visits WHERE signed_out_at IS NOT NULL AND ${desk}`)
    expect(count(`SELECT count(*) FROM visits WHERE NOT (${desk})`)).toBeGreaterThan(0)
    expect(count(`SELECT count(*) FROM visit_changes`)).toBe(signedOut)
    expect(count(`SELECT count(*) FROM visits v JOIN visit_changes c ON c.visit_id = v.id AND c.at = v.signed_out_at
                  AND c.after = json_object('signedOutAt', v.signed_out_at)`)).toBe(signedOut)
    expect(count(`SELECT count(*) FROM audit_log WHERE action = 'participant.create'`)).toBe(600)
    expect(count(`SELECT count(*) FROM audit_log WHERE action = 'visit.sign_in'`)).toBe(count(`SELECT count(*) FROM visits WHERE ${desk}`))
    expect(count(`SELECT count(*) FROM audit_log WHERE action = 'visit.sign_out'`)).toBe(count(`SELECT count(*) FROM visit_changes WHERE kind = 'sign_out'`))
    expect(count(`SELECT count(*) FROM visit_changes WHERE kind = 'sign_out_all'`)).toBeGreaterThan(0)
    expect(count(`SELECT count(*) FROM audit_log a JOIN audit_log b ON b.id = a.id + 1 WHERE b.at < a.at AND b.action <> 'admin.seed'`)).toBe(0)
    const chain = await verifyAuditChain(opened.db)
    expect(chain.firstBroken, chain.reason).toBeNull()
    expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(sqlite.pragma('foreign_key_check')).toEqual([])
  })

  it('stops at `until` in the center’s zone, leaving the people still there signed in', async () => {
    const until = new Date('2026-11-25T21:00:00Z') // 15:00 in Chicago
    const opened = await seeded({ until, timeZone: 'America/Chicago', seed: 5, participants: 800, days: 30 })
    const last = rows(opened, `SELECT max(visit_date) AS d, max(signed_in_at) AS at FROM visits`)[0] as { d: string; at: string }
    expect(last.d).toBe('2026-11-25')
    expect(last.at <= until.toISOString()).toBe(true)
    const open = rows(opened, `SELECT signed_out_at FROM visits WHERE visit_date = '2026-11-25' AND signed_out_at IS NULL`)
    expect(open.length).toBeGreaterThan(0)
    expect(rows(opened, `SELECT 1 FROM visits WHERE signed_out_at > ?`, until.toISOString())).toEqual([])
    expect(rows(opened, `SELECT 1 FROM participants WHERE created_at > ?`, until.toISOString())).toEqual([])
    // Opening hours are Chicago's: no one signs in before 8:30 or after 18:00 there.
    const hours = rows(
      opened,
      // The desk's hours: an evening group's visits start with the group.
      `SELECT DISTINCT strftime('%H', signed_in_at, '-6 hours') AS h FROM visits WHERE visit_date BETWEEN '2026-11-02' AND '2026-11-25'
         AND id NOT IN (SELECT visit_id FROM attendance WHERE created_visit = 1)`,
    ) as Array<{ h: string }>
    for (const { h } of hours) expect(Number(h)).toBeGreaterThanOrEqual(8)
    for (const { h } of hours) expect(Number(h)).toBeLessThan(18)
  })

  it('adds to people already there without reusing a code', async () => {
    const opened = await seeded({ participants: 300, seed: 1 })
    await seedDatabase(opened, { participants: 300, days: 10, seed: 1, endDate: new Date('2026-11-24T12:00:00Z') })
    expect(opened.sqlite.prepare('SELECT count(*), count(DISTINCT code) FROM participants').raw().get()).toEqual([600, 600])
  })

  it('reports progress through every phase', async () => {
    const phases = new Set<string>()
    await seeded({ onProgress: (done, total, phase) => {
      expect(done).toBeLessThanOrEqual(total)
      phases.add(phase)
    } })
    expect([...phases]).toEqual(['planning', 'participants', 'visits', 'history', 'finishing'])
  })
})

describe('npm run admin -- seed', () => {
  async function emptyDatabase(): Promise<{ db: string; keyFile: string }> {
    const dir = tempDir()
    const db = join(dir, 'center.db')
    const keyFile = join(dir, 'center.key')
    expect((await admin(['init', '--db', db, '--key-file', keyFile])).code).toBe(EXIT.OK)
    return { db, keyFile }
  }

  const count = async (db: string, keyFile: string) => {
    const opened = await openDatabase(db, new FileKeyStore(keyFile).load(), { readonly: true, check: 'none' })
    try {
      return opened.sqlite.prepare('SELECT (SELECT count(*) FROM participants), (SELECT count(*) FROM visits)').raw().get() as [number, number]
    } finally {
      await opened.close()
    }
  }

  it('fills an empty database, with a progress report on stderr', async () => {
    const { db, keyFile } = await emptyDatabase()
    const run = await admin(['seed', '--db', db, '--key-file', keyFile, '--participants', '200', '--days', '30', '--seed', '9'])
    expect(run.code, run.stderr).toBe(EXIT.OK)
    expect(run.stdout).toMatch(/^Seeded 200 participants and [\d,]+ visits/)
    expect(run.stderr).toMatch(/participants +\[#+\] 100%/)
    const [people, visits] = await count(db, keyFile)
    expect(people).toBe(200)
    expect(visits).toBeGreaterThan(0)
    expect((await admin(['verify', '--db', db, '--key-file', keyFile])).code).toBe(EXIT.OK)
  })

  it('refuses a database that already has participants unless --force', async () => {
    const { db, keyFile } = await emptyDatabase()
    expect((await admin(['seed', '--db', db, '--key-file', keyFile, '--participants', '50', '--days', '5'])).code).toBe(EXIT.OK)
    const before = await count(db, keyFile)
    const refused = await admin(['seed', '--db', db, '--key-file', keyFile, '--participants', '50', '--days', '5'])
    expect(refused.code).toBe(EXIT.DB_NOT_EMPTY)
    expect(refused.stderr).toMatch(/already has 50 participants.*--force/)
    expect(await count(db, keyFile)).toEqual(before)
    const forced = await admin(['seed', '--db', db, '--key-file', keyFile, '--participants', '50', '--days', '5', '--force'])
    expect(forced.code, forced.stderr).toBe(EXIT.OK)
    expect((await count(db, keyFile))[0]).toBe(100)
  })

  it('refuses bad numbers and seed options on other commands, changing nothing', async () => {
    const { db, keyFile } = await emptyDatabase()
    for (const argv of [
      ['seed', '--db', db, '--key-file', keyFile, '--days', '5'],
      ['seed', '--db', db, '--key-file', keyFile, '--participants', '5'],
      ['seed', '--db', db, '--key-file', keyFile, '--participants', '0', '--days', '5'],
      ['seed', '--db', db, '--key-file', keyFile, '--participants', '1e3', '--days', '5'],
      ['seed', '--db', db, '--key-file', keyFile, '--participants', '-4', '--days', '5'],
      ['seed', '--db', db, '--key-file', keyFile, '--participants', '10', '--days', '5', '--seed', 'abc'],
      ['seed', '--key-file', keyFile, '--participants', '10', '--days', '5'],
      ['verify', '--db', db, '--key-file', keyFile, '--participants', '10'],
      ['stats', '--db', db, '--key-file', keyFile, '--force'],
    ]) {
      const run = await admin(argv)
      expect(run.code, argv.join(' ')).toBe(EXIT.USAGE)
      expect(run.stderr).not.toBe('')
    }
    expect(await count(db, keyFile)).toEqual([0, 0])
  })

  it('tells a wrong key apart', async () => {
    const { db } = await emptyDatabase()
    const otherKey = join(tempDir(), 'other.key')
    new FileKeyStore(otherKey).save(generateKey())
    expect((await admin(['seed', '--db', db, '--key-file', otherKey, '--participants', '5', '--days', '5'])).code).toBe(EXIT.DB_WRONG_KEY)
  })
})

describe('progressBar', () => {
  it('writes a line per phase and per tenth into a pipe', () => {
    const lines: string[] = []
    let t = 0
    const bar = progressBar({ write: (text) => lines.push(text) }, () => (t += 100))
    for (let i = 0; i <= 100; i++) bar.update(i, 100, 'visits')
    bar.update(1, 1, 'finishing')
    bar.finish('done')
    expect(lines).toHaveLength(11 + 1 + 1)
    expect(lines[10]).toMatch(/^visits +\[#{28}\] 100% {2}100\/100/)
    expect(lines.at(-1)).toBe('done\n')
  })

  it('redraws in place on a terminal, at most ten times a second', () => {
    const writes: string[] = []
    let t = 0
    const bar = progressBar({ write: (text) => writes.push(text), isTTY: true }, () => t)
    for (let i = 0; i < 1000; i++) {
      t += 1
      bar.update(i, 1000, 'participants')
    }
    bar.update(1000, 1000, 'participants')
    bar.finish()
    expect(writes.length).toBeLessThan(15)
    expect(writes[0]!.startsWith('\r')).toBe(true)
    expect(writes.at(-1)).toBe('\n')
  })
})
