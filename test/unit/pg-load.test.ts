import { expect, it } from 'vitest'
import { describeLoad, runLoad, type LoadCheck } from '../../bench/load'
import { TEST_START } from '../clock'
import { onServer } from '../host/postgres'
import { describePostgres, PG_URL } from './pg-helpers'

/**
 * The load test (`npm run load`, issue 15), short: four desks and a kiosk, each a process with its
 * own PorchlightCore on one server database, signing people in and searching for them for 10 s.
 * Every acknowledged sign-in is in the database once, nothing else is, nobody is here twice.
 */
describePostgres('four desks and a kiosk on one server (10 s)', () => {
  it('signs people in and finds them with none lost or doubled, and the check would see either', async () => {
    let tampered: LoadCheck | null = null
    const result = await runLoad({
      url: PG_URL!,
      seconds: 10,
      people: 200,
      start: TEST_START,
      timeZone: 'UTC',
      afterCheck: async (url, checkAgain) => {
        // Behind the run's back: one acknowledged visit deleted, one visit nobody was told of added
        // for someone already here (allowed past the one-open-visit index as a confirmed repeat).
        await onServer(url, async (client) => {
          // Its lines and, when a desk signed it out during the run, its sign-out change go with it.
          await client.query('DELETE FROM visit_services WHERE visit_id = (SELECT min(id) FROM visits)')
          await client.query('DELETE FROM visit_changes WHERE visit_id = (SELECT min(id) FROM visits)')
          await client.query('DELETE FROM visits WHERE id = (SELECT min(id) FROM visits)')
          await client.query(
            `INSERT INTO visits (participant_id, visit_date, signed_in_at, created_at, updated_at, repeat_confirmed)
             SELECT participant_id, visit_date, signed_in_at, created_at, updated_at, 1 FROM visits WHERE signed_out_at IS NULL ORDER BY id DESC LIMIT 1`,
          )
        })
        tampered = await checkAgain()
      },
    })
    console.log(describeLoad(result))
    expect(result.refusals).toEqual({})
    expect(result.check).toMatchObject({ lost: 0, doubled: 0, signOutsLost: 0 })
    expect(result.signIns.desk).toBeGreaterThan(0)
    // The kiosk's one person in 10 s may have been signed in at a desk already: found either way.
    expect(result.kioskLookups.n).toBeGreaterThan(0)
    expect(result.kioskLookups.sentToDesk).toBe(0)
    expect(result.searches.n).toBeGreaterThan(result.signIns.desk)
    expect(result.searches.misses).toBe(0)
    expect(result.check.visitsInDatabase).toBe(result.signIns.desk + result.signIns.kiosk)
    expect(tampered).toMatchObject({ lost: 1, unacknowledged: 1 })
  }, 300_000)
})
