import { createWriteStream, linkSync, rmSync, statSync } from 'node:fs'
import { Writable } from 'node:stream'
import { configure, TextReader, Uint8ArrayReader, ZipWriter } from '@zip.js/zip.js'
import { sql, type Kysely, type SqlBool } from 'kysely'
import Papa from 'papaparse'
import { syncFile } from '../../backup-tasks'
import type { ExportCenters, ExportWritten } from '../../export-types'
import type { Database } from '../../schema'
import { neutralize } from '../hsds/tables'
import { PENDING_FILES } from '../visible-visits'
import { centersNamed, ofCenters } from './by-center'
import { columnTypeOf, foreignKeysOf, keyColumnsOf } from './foreign-keys'
import { COLUMN_NOTES, DOCUMENT_PATH_COLUMN, isSearchIndex, meaning, NOT_EXPORTED, OMITTED_COLUMNS, TABLE_NOTES } from './dictionary'

// Node has no web workers; zip.js compresses and encrypts on this (already separate) thread.
configure({ useWebWorkers: false })

export const DICTIONARY_FILE = 'data-dictionary.csv'
export const MANIFEST_FILE = 'export.json'
const BATCH = 2000

/** Any table by name, for reading every table the same way (the schema's types name each one). */
type AnyDb = Kysely<Record<string, Record<string, unknown>>>

export interface ExportColumn {
  name: string
  type: string
  nullable: boolean
  references?: string
}

export interface ExportTable {
  name: string
  columns: ExportColumn[]
  rows: number
}


/**
 * Which of a table's rows an export writes: none of a records import still going in (or cut short,
 * to be discarded), which nobody sees anywhere else either (migrations 0029 and 0052).
 */
function visibleRows(table: string, columns: readonly string[]): string | null {
  if (columns.includes('import_file_id')) return `(import_file_id IS NULL OR import_file_id NOT IN ${PENDING_FILES})`
  if (table === 'import_files') return 'pending = 0'
  if (table === 'import_rows') return `file_id NOT IN ${PENDING_FILES}`
  if (table === 'visit_services') return `visit_id NOT IN (SELECT v.id FROM visits v WHERE v.import_file_id IN ${PENDING_FILES})`
  return null
}

/** The rows of `table` an export of `centers` writes (null: every center). */
function rowsOf(db: AnyDb, table: string, columns: readonly string[], centers: readonly number[] | null) {
  const query = db.selectFrom(table).$call(ofCenters(db, table, centers))
  const visible = visibleRows(table, columns)
  return visible ? query.where(sql<SqlBool>`${sql.raw(visible)}`) : query
}


/** The schema steps the records went through, as the manifest names them (each backend has its own names). */
export async function appliedMigrations(db: Kysely<Database>): Promise<string[]> {
  const rows = await (db as unknown as AnyDb).selectFrom('kysely_migration').select('name').orderBy('name').execute()
  return rows.map((row) => String(row.name))
}

/** The tables an export writes, with their columns (minus secrets) and the rows it writes of `centers`, read from the database itself. */
export async function exportTables(db: Kysely<Database>, centers: readonly number[] | null = null): Promise<ExportTable[]> {
  const tables = await db.introspection.getTables()
  const chosen = tables.filter((table) => !table.isView && !isSearchIndex(table.name) && NOT_EXPORTED[table.name] === undefined).sort((a, b) => a.name.localeCompare(b.name))
  const result: ExportTable[] = []
  for (const table of chosen) {
    const keys = await foreignKeysOf(db)(table.name).execute(db)
    const refs = new Map(keys.rows.map((key) => [key.from, key.table]))
    const keyColumns = new Set((await keyColumnsOf(db)(table.name).execute(db)).rows.map((row) => row.name))
    const omitted = OMITTED_COLUMNS[table.name] ?? []
    const columns = table.columns
      .filter((column) => !omitted.includes(column.name))
      .map((column) => ({ name: column.name, type: columnTypeOf(db)(column.dataType), nullable: column.isNullable && !keyColumns.has(column.name), references: refs.get(column.name) }))
    const { count } = await rowsOf(db as unknown as AnyDb, table.name, columns.map((column) => column.name), centers).select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow()
    result.push({ name: table.name, columns, rows: Number(count) })
  }
  return result
}

/** How a cell is written: empty for null, numbers as they are, text neutralized against formulas. */
function cell(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return neutralize(value)
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64')
  // The server's booleans as the file's 0/1: the same CSV from either backend.
  if (typeof value === 'boolean') return value ? '1' : '0'
  return String(value as number | bigint)
}

function csvLines(rows: string[][]): string {
  return rows.length === 0 ? '' : `${Papa.unparse(rows, { newline: '\r\n' })}\r\n`
}

function documentPath(id: unknown, fileName: unknown): string {
  const safe = String(fileName).replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(-80)
  return `documents/${String(id)}-${safe}`
}

/** The dictionary: one row per column of every file, with the file's own description first. */
export function dictionaryCsv(tables: ExportTable[]): string {
  const rows: string[][] = [['file', 'column', 'type', 'may_be_empty', 'meaning']]
  for (const table of tables) {
    const file = `${table.name}.csv`
    rows.push([file, '', '', '', TABLE_NOTES[table.name] ?? 'A table of this center’s records.'])
    for (const column of columnsWritten(table)) {
      rows.push([file, column.name, column.type, column.nullable ? 'yes' : 'no', meaning(table.name, column.name, column.references) ?? `${column.type} value.`])
    }
  }
  return csvLines(rows.map((row) => row.map(cell)))
}

/** A table's columns as written: a document's file content is replaced by where it is in the zip. */
export function columnsWritten(table: ExportTable): ExportColumn[] {
  if (table.name !== 'workforce_documents') return table.columns
  return [...table.columns, { name: DOCUMENT_PATH_COLUMN, type: 'text', nullable: false }]
}

/** One table as a stream of CSV text, read in batches so a million visits never sit in memory whole. */
function tableStream(db: AnyDb, table: ExportTable, centers: readonly number[] | null, onRows: (n: number) => void): ReadableStream<Uint8Array> {
  const names = table.columns.map((column) => column.name)
  const encoder = new TextEncoder()
  async function* lines(): AsyncGenerator<Uint8Array> {
    yield encoder.encode(csvLines([columnsWritten(table).map((column) => column.name)]))
    let query = rowsOf(db, table.name, names, centers).select(names.map((name) => `${table.name}.${name}`))
    if (names.includes('id')) query = query.orderBy(`${table.name}.id`)
    let batch: string[][] = []
    for await (const row of query.stream(BATCH)) {
      const cells = names.map((name) => cell(row[name]))
      if (table.name === 'workforce_documents') cells.push(documentPath(row.id, row.file_name))
      batch.push(cells)
      if (batch.length === BATCH) {
        yield encoder.encode(csvLines(batch))
        onRows(batch.length)
        batch = []
      }
    }
    yield encoder.encode(csvLines(batch))
    onRows(batch.length)
  }
  const iterator = lines()
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next()
      if (next.done) controller.close()
      else controller.enqueue(next.value)
    },
  })
}

/**
 * Writes every table as CSV (of the chosen centers' records, by-center.ts), the data dictionary,
 * a manifest naming the centers and the attached documents into one zip at `target`, AES-256 encrypted when a password is given. Everything is
 * read in one read transaction, so the files agree with each other as of one moment. The zip is
 * written beside the target and linked into place only when complete (a link, unlike a rename,
 * refuses to replace a file that appeared meanwhile), so `target` is whole or absent and nothing
 * is ever overwritten.
 */
export async function writeFullExport(
  db: Kysely<Database>,
  target: string,
  options: { password: string | null; createdAt: string; migrations: string[]; centers: ExportCenters },
  onProgress: (done: number, total: number) => void,
): Promise<ExportWritten> {
  const partial = `${target}.partial`
  rmSync(partial, { force: true })
  try {
    // One snapshot for every file; on the server a read-only transaction holds no PC's writes up.
    const written = await db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(async (trx) => {
      const tables = await exportTables(trx, options.centers.ids)
      const total = tables.reduce((sum, table) => sum + table.rows, 0)
      let done = 0
      onProgress(0, total)
      const out = createWriteStream(partial, { flags: 'wx', mode: 0o600 })
      // Every entry dated at the export's moment (the caller's clock), not this computer's.
      const dated = { lastModDate: new Date(options.createdAt) }
      const zip = new ZipWriter(Writable.toWeb(out), options.password ? { ...dated, password: options.password, encryptionStrength: 3 } : dated)
      const manifest = {
        format: 'porchlight-export',
        version: 1,
        createdAt: options.createdAt,
        encrypted: options.password !== null,
        migrations: options.migrations,
        // Which centers' records the files hold; the organization's own tables (staff, catalog, settings, workforce, audit log) are whole.
        centers: centersNamed(options.centers),
        files: tables.map((table) => ({ file: `${table.name}.csv`, rows: table.rows })),
        leftOut: { ...NOT_EXPORTED, participant_search: 'The search index: rebuilt from participants.' },
        columnsLeftOut: { 'staff.password_hash': 'Secrets are never exported.', 'workforce_documents.content': `Each document is a file in documents/ (see ${DOCUMENT_PATH_COLUMN}).` },
      }
      await zip.add(MANIFEST_FILE, new TextReader(`${JSON.stringify(manifest, null, 2)}\n`))
      await zip.add(DICTIONARY_FILE, new TextReader(dictionaryCsv(tables)))
      for (const table of tables) {
        await zip.add(
          `${table.name}.csv`,
          tableStream(trx as unknown as AnyDb, table, options.centers.ids, (n) => {
            done += n
            onProgress(done, total)
          }),
        )
      }
      let documents = 0
      for await (const doc of trx.selectFrom('workforce_documents').select(['id', 'file_name', 'content']).orderBy('id').stream(10)) {
        await zip.add(documentPath(doc.id, doc.file_name), new Uint8ArrayReader(doc.content))
        documents += 1
      }
      await zip.close()
      await new Promise<void>((resolve, reject) => {
        if (out.closed) return resolve()
        out.once('close', resolve).once('error', reject)
      })
      return { files: manifest.files, documents }
    })
    syncFile(partial)
    linkSync(partial, target)
    rmSync(partial, { force: true })
    return { ...written, bytes: statSync(target).size }
  } catch (error) {
    rmSync(partial, { force: true })
    throw error
  }
}

/** For the test: every column the dictionary must describe has a note of its own (not the fallback). */
export function undescribed(tables: ExportTable[]): string[] {
  const missing = tables.filter((table) => TABLE_NOTES[table.name] === undefined).map((table) => table.name)
  for (const table of tables) {
    for (const column of columnsWritten(table)) {
      if (meaning(table.name, column.name, column.references) === null && COLUMN_NOTES[table.name]?.[column.name] === undefined) missing.push(`${table.name}.${column.name}`)
    }
  }
  return missing
}
