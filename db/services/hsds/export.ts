import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Papa from 'papaparse'
import { REFERRAL_TYPES, type ReferralType } from '../../types'
import type { DirectoryExportResult } from '../../hsds-types'
import { appendAudit } from '../audit'
import { centerId, inCenter } from '../centers'
import { inTransaction, isoNow, ServiceError, type ServiceContext } from '../context'
import { PORCHLIGHT_TAXONOMY_ID, porchlightTermId, uuidFrom } from './derive'
import { readHsdsState } from './import'
import { HSDS_TABLES, isHsdsTableName, neutralize, type HsdsRow, type HsdsTableName } from './tables'

/** English names of the kinds, for the exported taxonomy's terms (codes are what an import reads). */
const KIND_NAMES: Record<ReferralType, string> = {
  treatment: 'Treatment',
  detox: 'Detox',
  mat: 'Medication for addiction treatment',
  housing: 'Housing',
  employment: 'Employment',
  transport: 'Transportation',
  mental_health: 'Mental health',
  other: 'Other',
}

function blank(table: HsdsTableName): HsdsRow {
  return Object.fromEntries(HSDS_TABLES.find((t) => t.name === table)!.columns.map((column) => [column, '']))
}

/**
 * The window's center's directory as HSDS 3.0 tabular files: the rows the last import brought, with the desk's edits
 * to each agency's name, email and website; agencies typed at the desk as organizations (with
 * their phone); every agency's kinds of referral as Porchlight's taxonomy. Every file of the
 * specification is written, with its columns, even when empty, and a datapackage.json naming them.
 */
async function directoryTables(ctx: ServiceContext): Promise<{ tables: Record<HsdsTableName, HsdsRow[]>; agencies: number }> {
  const state = await readHsdsState(ctx.db, ctx)
  const agencies = await ctx.db.selectFrom('agencies').selectAll().$call(inCenter(ctx, 'agencies')).orderBy('id').execute()
  const typeRows = await ctx.db
    .selectFrom('agency_referral_types as t')
    .innerJoin('agencies as a', 'a.id', 't.agency_id')
    .select(['t.agency_id', 't.type'])
    .$call(inCenter(ctx, 'a'))
    .execute()
  const tables = Object.fromEntries(HSDS_TABLES.map((table) => [table.name, Object.values(state.records[table.name] ?? {})])) as Record<HsdsTableName, HsdsRow[]>
  const orgOf = new Map(Object.entries(state.agencies).map(([hsdsId, agencyId]) => [agencyId, hsdsId]))
  const ownTerms = new Set(REFERRAL_TYPES.map(porchlightTermId))
  // The kinds are written fresh from the agencies, so a kind untied at the desk does not come back.
  tables.attributes = tables.attributes.filter((row) => !ownTerms.has(row.taxonomy_term_id!))
  tables.taxonomy_terms = tables.taxonomy_terms.filter((row) => !ownTerms.has(row.id!))
  tables.taxonomies = tables.taxonomies.filter((row) => row.id !== PORCHLIGHT_TAXONOMY_ID)
  const orgRows = new Map(tables.organizations.map((row) => [row.id!, row]))
  let exported = 0
  for (const agency of agencies) {
    let orgId = orgOf.get(agency.id)
    if (orgId !== undefined && orgRows.has(orgId)) {
      orgRows.set(orgId, { ...orgRows.get(orgId)!, name: agency.name, email: agency.email ?? '', website: agency.website ?? '' })
    } else if (agency.active === 1) {
      orgId = uuidFrom(`porchlight:agency:${agency.id}`)
      orgRows.set(orgId, { ...blank('organizations'), id: orgId, name: agency.name, email: agency.email ?? '', website: agency.website ?? '', description: agency.notes ?? '' })
      if (agency.phone) tables.phones.push({ ...blank('phones'), id: uuidFrom(`porchlight:agency-phone:${agency.id}`), organization_id: orgId, number: agency.phone, type: 'voice' })
    } else {
      continue
    }
    exported += 1
    for (const row of typeRows.filter((type) => type.agency_id === agency.id)) {
      const type = row.type
      tables.attributes.push({
        ...blank('attributes'),
        id: uuidFrom(`porchlight:agency-kind:${orgId}:${type}`),
        link_id: orgId,
        taxonomy_term_id: porchlightTermId(type),
        link_type: 'organization',
        link_entity: 'organization',
        value: type,
      })
    }
  }
  tables.organizations = [...orgRows.values()]
  tables.taxonomies.push({ ...blank('taxonomies'), id: PORCHLIGHT_TAXONOMY_ID, name: 'Porchlight referral kinds', description: 'The kinds of referral an agency takes, as Porchlight records them.', version: '1' })
  for (const type of REFERRAL_TYPES) {
    tables.taxonomy_terms.push({ ...blank('taxonomy_terms'), id: porchlightTermId(type), code: type, name: KIND_NAMES[type], taxonomy: 'Porchlight referral kinds', taxonomy_id: PORCHLIGHT_TAXONOMY_ID })
  }
  return { tables, agencies: exported }
}

/** One file as CSV (RFC 4180, CRLF); formula-like cells are neutralized with a leading apostrophe. */
export function hsdsCsv(columns: readonly string[], rows: HsdsRow[]): string {
  return `${Papa.unparse({ fields: [...columns], data: rows.map((row) => columns.map((column) => neutralize(row[column] ?? ''))) }, { newline: '\r\n' })}\r\n`
}

/** Writes the directory into a folder that holds no HSDS files yet (nothing is overwritten), and audits it. */
export async function exportDirectory(ctx: ServiceContext, folder: string): Promise<DirectoryExportResult> {
  if (existsSync(folder) && !statSync(folder).isDirectory()) throw new ServiceError('VALIDATION', 'hsds.exportFolder', { folder, field: 'folder' })
  if (existsSync(folder)) {
    const taken = readdirSync(folder).find((file) => file === 'datapackage.json' || isHsdsTableName(file.replace(/\.csv$/i, '')))
    if (taken) throw new ServiceError('VALIDATION', 'hsds.exportNotEmpty', { folder, file: taken, field: 'folder' })
  }
  const { tables, agencies } = await directoryTables(ctx)
  try {
    mkdirSync(folder, { recursive: true })
    const files: DirectoryExportResult['files'] = []
    for (const table of HSDS_TABLES) {
      const file = `${table.name}.csv`
      // Written beside and renamed, so a file is whole or absent.
      writeFileSync(join(folder, `.${file}.part`), hsdsCsv(table.columns, tables[table.name]), { flush: true })
      renameSync(join(folder, `.${file}.part`), join(folder, file))
      files.push({ file, rows: tables[table.name].length })
    }
    const datapackage = {
      profile: 'tabular-data-package',
      name: 'porchlight-directory',
      title: 'Partner agency directory (Open Referral HSDS 3.0)',
      created: isoNow(ctx),
      resources: HSDS_TABLES.map((table) => ({
        name: table.name,
        path: `${table.name}.csv`,
        profile: 'tabular-data-resource',
        format: 'csv',
        mediatype: 'text/csv',
        encoding: 'utf-8',
        schema: { fields: table.columns.map((name) => ({ name, type: 'string' })), primaryKey: 'id' },
      })),
    }
    writeFileSync(join(folder, 'datapackage.json'), `${JSON.stringify(datapackage, null, 2)}\n`, { flush: true })
    await inTransaction(ctx, async (trx) => {
      await appendAudit(trx, isoNow(ctx), { staffId: ctx.staffId, action: 'directory.export', detail: { center: centerId(ctx), agencies, files: files.length } })
    })
    return { folder, files, agencies }
  } catch (error) {
    if (error instanceof ServiceError) throw error
    const code = (error as { code?: string }).code
    if (code === 'ENOSPC') throw new ServiceError('DISK_FULL', 'door.diskFull')
    throw new ServiceError('VALIDATION', 'hsds.exportFolder', { folder, field: 'folder' })
  }
}
