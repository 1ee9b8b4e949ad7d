import { expect, it } from 'vitest'
import {
  centersOfStaff,
  centersOverview,
  checkMayWorkIn,
  createCenter,
  getCountingRule,
  listCenters,
  renameCenter,
  setCenterArchived,
  setCountingRule,
  setStaffCenters,
  staffCenters,
} from '../../db/services/centers'
import type { ServiceContext } from '../../db/services/context'
import { createParticipant } from '../../db/services/participants'
import { getCenterName } from '../../db/services/setup'
import { createStaff } from '../../db/services/staff-accounts'
import { auditActionsOf, serviceError, useCenter } from './front-desk-helpers'
import { describeEachBackend } from './pg-helpers'

/**
 * The admin's side of several centers (issue 15): the Centers screen (create, rename with a row
 * version, archive rather than delete, counts), where each account works, and the organization's
 * counting rule, all audited, on both backends.
 */
describeEachBackend('centers: the admin’s screen, grants and the counting rule', (backend) => {
  const center = useCenter(backend)

  const desk = (ctx: ServiceContext, username: string) => createStaff(ctx, { username, displayName: username, role: 'front_desk', password: 'a long enough password' })

  it('renames a center with its row version: a clash (any case) and a stale version are refused and change nothing; center 1’s name follows into the settings', async () => {
    const { ctx } = center()
    const north = await createCenter(ctx, { name: 'North Side' })
    const [harbor] = (await centersOverview(ctx.db)).centers.filter((c) => c.id === 1)
    expect(harbor).toMatchObject({ name: 'Harbor House', version: 1, active: true })
    expect(await serviceError(renameCenter(ctx, { id: 1, name: 'north side', version: 1 }))).toMatchObject({ code: 'CONFLICT', key: 'centers.nameTaken', detail: { field: 'name' } })
    const renamed = await renameCenter(ctx, { id: 1, name: '  Harbor House East ', version: 1 })
    expect(renamed).toEqual({ id: 1, name: 'Harbor House East' })
    expect(await getCenterName(ctx.db)).toBe('Harbor House East')
    // Another PC read version 1 before the rename: refused, with nothing changed.
    expect(await serviceError(renameCenter(ctx, { id: 1, name: 'Harbor', version: 1 }))).toMatchObject({ code: 'STALE', key: 'door.changedElsewhere' })
    await renameCenter(ctx, { id: north.id, name: 'North Side Annex', version: 1 })
    expect(await getCenterName(ctx.db)).toBe('Harbor House East')
    expect((await listCenters(ctx.db)).map((c) => c.name)).toEqual(['Harbor House East', 'North Side Annex'])
    expect((await auditActionsOf(ctx.db)).filter((a) => a.startsWith('center.'))).toEqual(['center.create', 'center.rename', 'center.rename'])
    const detail = await ctx.db.selectFrom('audit_log').select('detail').where('action', '=', 'center.rename').orderBy('id').executeTakeFirstOrThrow()
    expect(JSON.parse(detail.detail!)).toEqual({ from: 'Harbor House', to: 'Harbor House East' })
  })

  it('archives rather than deletes: not the last center in use, not anyone’s home; then nobody is granted it or works in it, until it is brought back', async () => {
    const { ctx } = center()
    expect(await serviceError(setCenterArchived(ctx, { id: 1, archived: true, version: 1 }))).toMatchObject({ code: 'CONFLICT', key: 'centers.lastInUse' })
    const north = await createCenter(ctx, { name: 'North Side' })
    const jo = await desk(ctx, 'jo')
    const kim = await desk(ctx, 'kim')
    await setStaffCenters(ctx, { staffId: jo.id, homeCenterId: north.id, otherCenterIds: [] })
    await setStaffCenters(ctx, { staffId: kim.id, homeCenterId: 1, otherCenterIds: [north.id] })
    const person = await createParticipant({ ...ctx, centerId: north.id }, { firstName: 'Bea' })
    expect(await serviceError(setCenterArchived(ctx, { id: north.id, archived: true, version: 1 }))).toMatchObject({ code: 'CONFLICT', key: 'centers.stillHome', detail: { count: 1 } })
    await setStaffCenters(ctx, { staffId: jo.id, homeCenterId: 1, otherCenterIds: [north.id] })
    await setCenterArchived(ctx, { id: north.id, archived: true, version: 1 })

    // Its records stay; nobody can be given it or switch to it, admins included.
    expect(await ctx.db.selectFrom('participants').select('center_id').where('id', '=', person.id).executeTakeFirstOrThrow()).toEqual({ center_id: north.id })
    const overview = await centersOverview(ctx.db)
    expect(overview.centers.map((c) => [c.name, c.active, c.people])).toEqual([
      ['Harbor House', true, 0],
      ['North Side', false, 1],
    ])
    expect(await centersOfStaff(ctx.db, { id: kim.id, role: 'front_desk' })).toEqual([{ id: 1, name: 'Harbor House' }])
    expect(await centersOfStaff(ctx.db, { id: ctx.staffId!, role: 'admin' })).toEqual([{ id: 1, name: 'Harbor House' }])
    expect(await serviceError(checkMayWorkIn(ctx.db, { id: kim.id, role: 'front_desk' }, north.id))).toMatchObject({ code: 'FORBIDDEN' })
    expect(await serviceError(setStaffCenters(ctx, { staffId: jo.id, homeCenterId: north.id, otherCenterIds: [] }))).toMatchObject({ code: 'VALIDATION', key: 'centers.archivedNotGranted', detail: { field: 'homeCenterId' } })
    expect(await serviceError(setStaffCenters(ctx, { staffId: jo.id, homeCenterId: 1, otherCenterIds: [north.id] }))).toMatchObject({ detail: { field: 'otherCenterIds' } })
    // A stale archive or bring-back is refused too.
    expect(await serviceError(setCenterArchived(ctx, { id: north.id, archived: false, version: 1 }))).toMatchObject({ code: 'STALE' })

    // Brought back: Kim's grant (kept while archived) works again.
    await setCenterArchived(ctx, { id: north.id, archived: false, version: 2 })
    expect((await centersOfStaff(ctx.db, { id: kim.id, role: 'front_desk' })).map((c) => c.name)).toEqual(['Harbor House', 'North Side'])
    expect((await auditActionsOf(ctx.db)).filter((a) => a === 'center.archive' || a === 'center.unarchive')).toEqual(['center.archive', 'center.unarchive'])
  })

  it('the overview counts each center’s active accounts (admins apart) and its people (merged and deleted apart); grants list every account', async () => {
    const { ctx } = center()
    const north = await createCenter(ctx, { name: 'North Side' })
    const jo = await desk(ctx, 'jo')
    const kim = await desk(ctx, 'kim')
    await setStaffCenters(ctx, { staffId: jo.id, homeCenterId: north.id, otherCenterIds: [1] })
    await setStaffCenters(ctx, { staffId: kim.id, homeCenterId: north.id, otherCenterIds: [] })
    await createParticipant(ctx, { firstName: 'Dana' })
    await createParticipant({ ...ctx, centerId: north.id }, { firstName: 'Bea' })
    await createParticipant({ ...ctx, centerId: north.id }, { firstName: 'Noel' })
    const overview = await centersOverview(ctx.db)
    expect(overview).toEqual({
      matchPeople: false,
      centers: [
        { id: 1, name: 'Harbor House', active: true, version: 1, staff: 1, people: 1 },
        { id: north.id, name: 'North Side', active: true, version: 1, staff: 2, people: 2 },
      ],
    })
    expect(await staffCenters(ctx.db)).toEqual([
      { staffId: ctx.staffId, homeCenterId: 1, otherCenterIds: [] },
      { staffId: jo.id, homeCenterId: north.id, otherCenterIds: [1] },
      { staffId: kim.id, homeCenterId: north.id, otherCenterIds: [] },
    ])
    const grant = await ctx.db.selectFrom('audit_log').select('detail').where('action', '=', 'center.grant').orderBy('id').executeTakeFirstOrThrow()
    expect(JSON.parse(grant.detail!)).toEqual({ home: north.id, others: [1] })
  })

  it('the counting rule: once per center until an admin records that the centers match people; a change is audited, a non-change is not', async () => {
    const { ctx } = center()
    expect(await getCountingRule(ctx.db)).toEqual({ matchPeople: false })
    expect(await setCountingRule(ctx, { matchPeople: true })).toEqual({ matchPeople: true })
    expect(await setCountingRule(ctx, { matchPeople: true })).toEqual({ matchPeople: true })
    expect((await centersOverview(ctx.db)).matchPeople).toBe(true)
    await setCountingRule(ctx, { matchPeople: false })
    expect((await auditActionsOf(ctx.db)).filter((a) => a === 'settings.counting')).toHaveLength(2)
    // A damaged value reads as the default rather than stopping the screen.
    await ctx.db.updateTable('settings').set({ value: '{not json' }).where('key', '=', 'counting_rule').execute()
    expect(await getCountingRule(ctx.db)).toEqual({ matchPeople: false })
  })
})
