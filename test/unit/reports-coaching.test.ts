import { beforeEach, describe, expect, it } from 'vitest'
import { logContact, setEngagementStatus, startEngagement } from '../../db/services/coaching'
import { saveGoal } from '../../db/services/coaching-plan'
import type { ServiceContext } from '../../db/services/context'
import { createParticipant } from '../../db/services/participants'
import { coachingFigures } from '../../db/services/reports/coaching'
import { reportCsv } from '../../db/services/reports/export'
import { funderReport } from '../../db/services/reports/report'
import { reportWorkbook } from '../../db/services/reports/workbook'
import { createStaff } from '../../db/services/staff-accounts'
import { useDesk } from './front-desk-helpers'
import { useTempDirs } from './helpers'

const tempDir = useTempDirs()
const desk = useDesk(tempDir)
let ctx: ServiceContext

// The desk's day is 2026-11-25; the range is November.
const NOVEMBER = { from: '2026-11-01', to: '2026-11-30' }

beforeEach(() => {
  ctx = desk().ctx
})

/**
 * November, worked out by hand: Dana active since October (contacts on 3 Nov twice, 10 and 24 Nov,
 * and one in October), Sam started 2 Nov and completed today (5 and 6 Nov), Lee completed in
 * October, one anonymous warmline call; one goal met today, one in October, one in progress.
 */
async function buildNovember(): Promise<void> {
    const coach = (await createStaff(ctx, { username: 'casey', displayName: 'Casey Coach', role: 'peer_specialist', password: 'a long enough password' })).id
    const person = async (firstName: string) => (await createParticipant(ctx, { firstName, lastName: 'Test' })).id
    const [dana, sam, lee] = [await person('Dana'), await person('Sam'), await person('Lee')]
    const start = (participantId: number, startedOn: string) => startEngagement(ctx, { participantId, coachId: coach, stage: 'after_treatment', pathways: [], startedOn })
    // Dana: active since October. Sam: started in November, completed today (the 25th). Lee:
    // completed in October (its end moved back by hand): not active in November, not completed in it.
    await start(dana, '2026-10-01')
    const samEngagement = await start(sam, '2026-11-02')
    const leeEngagement = await start(lee, '2026-08-01')
    await setEngagementStatus(ctx, { engagementId: leeEngagement.id, status: 'completed', reason: 'Finished the period' })
    desk().opened.sqlite.prepare(`UPDATE coaching_engagements SET ended_on = '2026-10-15' WHERE id = ?`).run(leeEngagement.id)

    const contact = (participantId: number | null, contactOn: string, kind: 'in_person' | 'phone' | 'video' | 'text' | 'warmline') =>
      logContact(ctx, { participantId, contactOn, minutes: 30, kind, topics: [] })
    await contact(dana, '2026-10-20', 'phone') // before the range: not counted, and no gap to 3 November
    await contact(dana, '2026-11-03', 'in_person')
    await contact(dana, '2026-11-03', 'phone') // the same day: one contact day
    await contact(dana, '2026-11-10', 'in_person') // 7 days after the 3rd
    await contact(dana, '2026-11-24', 'video') // 14 days after the 10th
    await contact(sam, '2026-11-05', 'phone')
    await contact(sam, '2026-11-06', 'text') // 1 day after the 5th
    await contact(null, '2026-11-12', 'warmline') // anonymous: a contact, no gap
    await setEngagementStatus(ctx, { engagementId: samEngagement.id, status: 'completed', reason: 'Finished the period' })

    // Goals: one met today; one met in October (moved back by hand); one still in progress.
    const met = await saveGoal(ctx, { participantId: dana, area: 'housing', title: 'A room of my own', setOn: '2026-10-01' })
    await saveGoal(ctx, { id: met[0]!.id, participantId: dana, area: 'housing', title: 'A room of my own', progress: 'done' })
    const old = await saveGoal(ctx, { participantId: sam, area: 'health', title: 'See a doctor', setOn: '2026-10-01', progress: 'done' })
    desk().opened.sqlite.prepare(`UPDATE plan_goals SET done_on = '2026-10-01' WHERE id = ?`).run(old[0]!.id)
    await saveGoal(ctx, { participantId: lee, area: 'meaning', title: 'Volunteer', setOn: '2026-10-01' })
}

describe('coaching figures for the dashboard and the funder report', () => {
  it('counts active and completed engagements, contacts by kind, the median gap and goals met, as worked out by hand', async () => {
    await buildNovember()
    const figures = await coachingFigures(desk().opened.db, NOVEMBER)
    expect(figures).toEqual({
      activeEngagements: 2, // Dana's and Sam's
      contacts: 7,
      contactsByKind: [
        { kind: 'in_person', count: 2 },
        { kind: 'phone', count: 2 },
        { kind: 'video', count: 1 },
        { kind: 'text', count: 1 },
        { kind: 'outreach', count: 0 },
        { kind: 'warmline', count: 1 },
      ],
      warmlineCalls: 1,
      medianDaysBetweenContacts: 7, // gaps 7, 14 and 1
      engagementsCompleted: 1, // Sam's
      planGoalsMet: 1,
    })

    // October: Dana and Lee were open in it (Sam had not started); Lee completed in it; one contact, no gap.
    expect(await coachingFigures(desk().opened.db, { from: '2026-10-01', to: '2026-10-31' })).toMatchObject({
      activeEngagements: 2,
      contacts: 1,
      medianDaysBetweenContacts: null,
      engagementsCompleted: 1,
      planGoalsMet: 1,
    })
  })

  it('puts the same figures, worked out by hand, in the funder report\'s CSV and Excel workbook', async () => {
    await buildNovember()
    const report = await funderReport(ctx, NOVEMBER)
    // table, row, measure -> value, exactly as the hand count above says.
    const expected = [
      ['engagements', 'active', '2'],
      ['engagements', 'completed', '1'],
      ['all', 'contacts', '7'],
      ['in_person', 'contacts', '2'],
      ['phone', 'contacts', '2'],
      ['video', 'contacts', '1'],
      ['text', 'contacts', '1'],
      ['outreach', 'contacts', '0'],
      ['warmline', 'contacts', '1'],
      ['all', 'median_days_between_contacts', '7'],
      ['plan_goals', 'met', '1'],
    ]
    const csv = reportCsv(report, null)
      .trimEnd()
      .split('\r\n')
      .map((line) => line.split(','))
      .filter((cells) => cells[3] === 'coaching')
    expect(csv.map((cells) => cells.slice(4))).toEqual(expected)
    // Every line carries the center and the range, like the rest of the report.
    expect(csv.every((cells) => cells[1] === NOVEMBER.from && cells[2] === report.range.countedTo)).toBe(true)
    // Small counts are suppressed in coaching as everywhere else; zero and the median are not.
    const suppressed = reportCsv(report, 10).split('\r\n').filter((line) => line.includes(',coaching,'))
    expect(suppressed).toContain(`${report.centerName},${NOVEMBER.from},${report.range.countedTo},coaching,all,contacts,<11`)
    expect(suppressed).toContain(`${report.centerName},${NOVEMBER.from},${report.range.countedTo},coaching,outreach,contacts,0`)
    expect(suppressed).toContain(`${report.centerName},${NOVEMBER.from},${report.range.countedTo},coaching,all,median_days_between_contacts,7`)

    const { default: ExcelJS } = await import('exceljs')
    const book = new ExcelJS.Workbook()
    // exceljs types its Buffer against an older @types/node.
    await book.xlsx.load((await reportWorkbook(report, null, ctx.now())) as unknown as ArrayBuffer)
    const sheet = book.getWorksheet('coaching')!
    expect(sheet.getCell('A2').value).toBe(`${NOVEMBER.from} to ${report.range.countedTo}`)
    const rows = sheet.getRows(5, sheet.rowCount - 4)!.map((row) => [row.getCell(1).value, row.getCell(2).value, String(row.getCell(3).value)])
    expect(rows).toEqual(expected)
  })
})
