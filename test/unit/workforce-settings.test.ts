import { describe, expect, it } from 'vitest'
import { createStaff } from '../../db/services/staff-accounts'
import { addTraining, saveCredential, workforceLists, workforcePerson, type Viewer } from '../../db/services/workforce'
import { deleteCategory, deleteKind, saveCategory, saveKind, workforceSettings } from '../../db/services/workforce-settings'
import { auditActions, serviceError, useDesk } from './front-desk-helpers'
import { tableCounts, useTempDirs } from './helpers'

const tempDir = useTempDirs()
const desk = useDesk(tempDir)

async function setUp() {
  const d = desk()
  const manager = await createStaff(d.ctx, { username: 'morgan', displayName: 'Morgan Manager', role: 'manager', password: 'a long enough password' })
  const peer = await createStaff(d.ctx, { username: 'pat', displayName: 'Pat Peer', role: 'peer_specialist', password: 'a long enough password' })
  const asManager: Viewer = { staffId: manager.id, role: 'manager' }
  const ctx = { ...d.ctx, staffId: manager.id }
  const settings = await workforceSettings(d.opened.db)
  const category = (key: string) => settings.categories.find((c) => c.key === key)!.id
  return { d, ctx, manager, peer, asManager, category }
}

const countyKind = { nameEn: 'County peer supervisor', nameEs: 'Supervisor de pares del condado', periodMonths: 12, requiredHours: 10, active: true }

describe('credential kinds and training categories (the center’s own requirements)', () => {
  it('a new kind’s requirement is data: its period and hours count against a credential of that kind', async () => {
    const { d, ctx, peer, asManager, category } = await setUp()
    const settings = await saveKind(ctx, { ...countyKind, categoryHours: [{ categoryId: category('ethics'), hours: 2.5 }, { categoryId: category('other'), hours: 0 }] })
    const kind = settings.kinds.find((k) => k.nameEn === countyKind.nameEn)!
    // A category given 0 hours requires none and is not stored.
    expect(kind).toMatchObject({ periodMonths: 12, requiredHours: 10, categoryHours: { ethics: 2.5 }, active: true, credentials: 0 })
    expect(settings.categories.find((c) => c.key === 'ethics')!.requiredBy.map((k) => k.nameEn)).toContain(countyKind.nameEn)

    await saveCredential(ctx, { staffId: peer.id, kindId: kind.id, issuer: 'County', issuedOn: '2026-06-01', expiresOn: '2027-06-01' })
    await addTraining(ctx, asManager, { staffId: peer.id, takenOn: '2026-07-01', title: 'Ethics', hours: 1, categoryId: category('ethics') })
    const progress = (await workforcePerson(ctx, asManager, peer.id)).progress.find((p) => p.kindNameEn === countyKind.nameEn)!
    expect(progress).toMatchObject({ requiredHours: 10, doneHours: 1, missingHours: 9 })
    expect(progress.categories).toEqual([{ key: 'ethics', nameEn: 'Ethics', nameEs: 'Ética', requiredHours: 2.5, doneHours: 1, missingHours: 1.5 }])

    // The requirement changes: the same credential is measured against the new one at once.
    await saveKind(ctx, { ...countyKind, id: kind.id, requiredHours: 4, categoryHours: [] })
    expect((await workforcePerson(ctx, asManager, peer.id)).progress.find((p) => p.kindNameEn === countyKind.nameEn)).toMatchObject({ requiredHours: 4, missingHours: 3, categories: [] })
    expect(auditActions(d.opened).filter((a) => a === 'workforce.kind_save')).toHaveLength(2)
  })

  it('refuses bad requirements with a clear message and writes nothing', async () => {
    const { d, ctx, category } = await setUp()
    const before = tableCounts(d.opened)
    const refused = async (input: Parameters<typeof saveKind>[1]) => serviceError(saveKind(ctx, input))
    expect(await refused({ ...countyKind, nameEn: 'cpr and first aid', categoryHours: [] })).toMatchObject({ code: 'CONFLICT', key: 'workforce.kindExists' })
    expect(await refused({ ...countyKind, periodMonths: 0, categoryHours: [] })).toMatchObject({ key: 'workforce.periodRange' })
    expect(await refused({ ...countyKind, requiredHours: -1, categoryHours: [] })).toMatchObject({ key: 'workforce.requiredHoursRange' })
    const over = await refused({ ...countyKind, categoryHours: [{ categoryId: category('ethics'), hours: 6 }, { categoryId: category('trauma_informed'), hours: 5 }] })
    expect(over).toMatchObject({ key: 'workforce.categoriesOverTotal' })
    expect(over.message).toBe('The hours required by category (11) add up to more than the total required (10). Raise the total or lower a category.')
    expect(await refused({ ...countyKind, categoryHours: [{ categoryId: 999, hours: 1 }] })).toMatchObject({ key: 'workforce.categoryUnknown' })
    expect(await refused({ ...countyKind, categoryHours: [{ categoryId: category('ethics'), hours: 1 }, { categoryId: category('ethics'), hours: 2 }] })).toMatchObject({ key: 'workforce.categoryTwice' })
    expect(await refused({ ...countyKind, id: 999, categoryHours: [] })).toMatchObject({ code: 'NOT_FOUND' })
    expect(tableCounts(d.opened)).toEqual(before)
  })

  it('a kind in use is archived, never deleted: deleting it is refused and says so; an unused one is deleted', async () => {
    const { d, ctx, peer, asManager } = await setUp()
    const cpr = (await workforceSettings(d.opened.db)).kinds.find((k) => k.key === 'cpr')!
    await saveCredential(ctx, { staffId: peer.id, kindId: cpr.id, issuer: 'Red Cross', issuedOn: '2026-01-10', expiresOn: '2028-01-10' })
    const before = tableCounts(d.opened)
    const refusal = await serviceError(deleteKind(ctx, cpr.id))
    expect(refusal).toMatchObject({ code: 'CONFLICT', key: 'workforce.kindInUse' })
    expect(refusal.message).toContain('Archive it instead')
    expect(tableCounts(d.opened)).toEqual(before)

    // Archived: no longer offered for a new credential, still on the one that holds it.
    await saveKind(ctx, { nameEn: cpr.nameEn, nameEs: cpr.nameEs, id: cpr.id, periodMonths: cpr.periodMonths, requiredHours: 0, categoryHours: [], active: false })
    expect((await workforceLists(ctx, asManager)).kinds.map((k) => k.id)).not.toContain(cpr.id)
    expect((await workforcePerson(ctx, asManager, peer.id)).credentials.map((c) => c.kindNameEn)).toEqual([cpr.nameEn])
    expect(await serviceError(saveCredential(ctx, { staffId: peer.id, kindId: cpr.id, issuer: 'Red Cross', issuedOn: '2026-02-10' }))).toMatchObject({ key: 'workforce.kindUnknown' })
    expect((await workforceSettings(d.opened.db)).kinds.find((k) => k.id === cpr.id)).toMatchObject({ active: false, credentials: 1 })

    const naloxone = (await workforceSettings(d.opened.db)).kinds.find((k) => k.key === 'naloxone_trainer')!
    const after = await deleteKind(ctx, naloxone.id)
    expect(after.kinds.map((k) => k.id)).not.toContain(naloxone.id)
    expect(auditActions(d.opened)).toContain('workforce.kind_delete')
  })

  it('a category with training or named by a requirement is not deleted, and one a live requirement names is not archived', async () => {
    const { d, ctx, peer, asManager, category } = await setUp()
    const before = tableCounts(d.opened)
    // Ethics: the built-in state certification requires hours in it.
    const required = await serviceError(deleteCategory(ctx, category('ethics')))
    expect(required).toMatchObject({ code: 'CONFLICT', key: 'workforce.categoryRequired' })
    expect(required.message).toContain('State peer recovery specialist certification')
    expect(await serviceError(saveCategory(ctx, { id: category('ethics'), nameEn: 'Ethics', nameEs: 'Ética', active: false }))).toMatchObject({ key: 'workforce.categoryRequired' })
    expect(tableCounts(d.opened)).toEqual(before)

    await addTraining(ctx, asManager, { staffId: peer.id, takenOn: '2026-07-01', title: 'Naloxone basics', hours: 1, categoryId: category('other') })
    const used = await serviceError(deleteCategory(ctx, category('other')))
    expect(used).toMatchObject({ code: 'CONFLICT', key: 'workforce.categoryInUse' })
    expect(used.message).toContain('Archive it instead')
    // Archiving it is allowed: past training keeps it.
    const archived = await saveCategory(ctx, { id: category('other'), nameEn: 'Other', nameEs: 'Otra', active: false })
    expect(archived.categories.find((c) => c.key === 'other')).toMatchObject({ active: false, training: 1 })

    const added = await saveCategory(ctx, { nameEn: 'Motivational interviewing', nameEs: 'Entrevista motivacional', active: true })
    const mi = added.categories.find((c) => c.nameEn === 'Motivational interviewing')!
    expect(await serviceError(saveCategory(ctx, { nameEn: 'motivational INTERVIEWING', nameEs: 'x', active: true }))).toMatchObject({ key: 'workforce.categoryExists' })
    expect((await deleteCategory(ctx, mi.id)).categories.map((c) => c.id)).not.toContain(mi.id)
    expect(auditActions(d.opened)).toContain('workforce.category_delete')
  })
})
