import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import Papa from 'papaparse'
import { message, type MessageRef } from '../../../shared/messages'
import type { HsdsProblem } from '../../hsds-types'
import { emptyTables, HSDS_TABLE, HSDS_TABLES, isFormulaLike, isHsdsTableName, unneutralize, type HsdsRow, type HsdsTableName, type HsdsTables } from './tables'

export type { HsdsProblem }

/** The largest file an import reads: a county's directory is a few megabytes; more is a wrong file. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024

export interface ReadPackage {
  tables: HsdsTables
  /** Each table's rows' spreadsheet row numbers, parallel to `tables`. */
  rowNumbers: Record<HsdsTableName, number[]>
  problems: HsdsProblem[]
  /** What was noticed and is fine: no datapackage.json, a file that is not HSDS, a reference out of the package. */
  notes: MessageRef[]
  /** The files read and their rows, in table order. */
  files: Array<{ file: string; rows: number }>
}

const fileProblem = (file: string, ref: MessageRef, column: string | null = null): HsdsProblem => ({ file, row: null, column, message: ref, fatal: true })

/** The text of a CSV file, or the reason it is not one. */
function decode(file: string, bytes: Buffer): string | HsdsProblem {
  if (bytes.length === 0) return fileProblem(file, message('hsds.empty', { file }))
  const head = bytes.subarray(0, 8192)
  // A zip (an .xlsx saved with a .csv name) or any NUL byte: not text.
  if (head.includes(0) || (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04)) return fileProblem(file, message('hsds.notCsv', { file }))
  try {
    // Fatal: a Windows-1252 file read as UTF-8 would quietly turn "Peña" into "Pe�a".
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    return text.trim() === '' ? fileProblem(file, message('hsds.empty', { file })) : text
  } catch {
    return fileProblem(file, message('hsds.notUtf8', { file }))
  }
}

const DELIMITER_NAMES: Record<string, string> = { ';': ';', '\t': 'TAB', '|': '|' }

/** One table's file into rows of its columns, with every problem found on the way. */
function readTable(file: string, text: string, name: HsdsTableName, problems: HsdsProblem[]): { rows: HsdsRow[]; rowNumbers: number[] } | null {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? ''
  if (!firstLine.includes(',')) {
    const other = Object.keys(DELIMITER_NAMES).find((delimiter) => firstLine.includes(delimiter))
    if (other) {
      problems.push(fileProblem(file, message('hsds.delimiter', { file, delimiter: DELIMITER_NAMES[other]! })))
      return null
    }
  }
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { delimiter: ',', skipEmptyLines: 'greedy' })
  const [header = [], ...body] = parsed.data
  const columns = header.map((column) => column.trim())
  const known = HSDS_TABLE[name].columns
  let ok = true
  for (const column of columns) {
    if (!known.includes(column)) {
      problems.push(fileProblem(file, message('hsds.unknownColumn', { file, column }), column))
      ok = false
    }
  }
  if (!columns.includes('id')) {
    problems.push(fileProblem(file, message('hsds.noIdColumn', { file }), 'id'))
    ok = false
  }
  if (!ok) return null
  const rows: HsdsRow[] = []
  const rowNumbers: number[] = []
  body.forEach((cells, index) => {
    const rowNumber = index + 2
    if (cells.length !== columns.length) {
      problems.push({ file, row: rowNumber, column: null, message: message('hsds.rowShape', { file, row: rowNumber, found: cells.length, expected: columns.length }), fatal: false })
    }
    const row: HsdsRow = Object.fromEntries(known.map((column) => [column, '']))
    columns.forEach((column, at) => {
      const cell = cells[at] ?? ''
      if (isFormulaLike(cell)) {
        problems.push({ file, row: rowNumber, column, message: message('hsds.formula', { file, row: rowNumber, column, start: cell.slice(0, 1) }), fatal: false })
      } else if (cell.includes('\u0000')) {
        // PostgreSQL cannot store it, and a directory never means it: a damaged or binary file.
        problems.push({ file, row: rowNumber, column, message: message('hsds.nulCharacter', { file, row: rowNumber, column }), fatal: false })
      }
      row[column] = unneutralize(cell)
    })
    rows.push(row)
    rowNumbers.push(rowNumber)
  })
  return { rows, rowNumbers }
}

/** The tables a datapackage.json names, when it is one; otherwise a note and the HSDS file names. */
function packageResources(folder: string, problems: HsdsProblem[], notes: MessageRef[]): void {
  const path = join(folder, 'datapackage.json')
  if (!existsSync(path)) {
    notes.push(message('hsds.noPackage'))
    return
  }
  let resources: unknown
  try {
    resources = (JSON.parse(readFileSync(path, 'utf8')) as { resources?: unknown }).resources
  } catch {
    resources = undefined
  }
  if (!Array.isArray(resources)) {
    // The specification's examples folder holds a link's text here, not a package.
    notes.push(message('hsds.packageUnreadable'))
    return
  }
  for (const resource of resources as Array<{ path?: unknown }>) {
    if (typeof resource.path === 'string' && !existsSync(join(folder, resource.path))) {
      problems.push(fileProblem(resource.path, message('hsds.fileMissing', { file: resource.path })))
    }
  }
}

/** Reads every HSDS table in a folder; nothing is written anywhere. */
export function readPackage(folder: string): ReadPackage {
  const tables = emptyTables()
  const rowNumbers = Object.fromEntries(HSDS_TABLES.map((table) => [table.name, [] as number[]])) as Record<HsdsTableName, number[]>
  const problems: HsdsProblem[] = []
  const notes: MessageRef[] = []
  const files: ReadPackage['files'] = []
  let names: string[]
  try {
    names = readdirSync(folder)
  } catch {
    return { tables, rowNumbers, problems: [fileProblem(folder, message('hsds.folderMissing', { folder }))], notes, files }
  }
  packageResources(folder, problems, notes)
  if (!names.includes('organizations.csv')) problems.push(fileProblem('organizations.csv', message('hsds.noOrganizations', { folder })))
  for (const file of names.sort()) {
    const stem = file.replace(/\.csv$/i, '')
    if (file === 'datapackage.json' || !statSync(join(folder, file)).isFile()) continue
    if (!/\.csv$/i.test(file) || !isHsdsTableName(stem)) {
      notes.push(message('hsds.unknownFile', { file }))
      continue
    }
    const size = statSync(join(folder, file)).size
    if (size > MAX_FILE_BYTES) {
      problems.push(fileProblem(file, message('hsds.tooLarge', { file, size: Math.ceil(size / 1024 / 1024), max: MAX_FILE_BYTES / 1024 / 1024 })))
      continue
    }
    const text = decode(file, readFileSync(join(folder, file)))
    if (typeof text !== 'string') {
      problems.push(text)
      continue
    }
    const read = readTable(file, text, stem, problems)
    if (!read) continue
    tables[stem] = read.rows
    rowNumbers[stem] = read.rowNumbers
  }
  for (const table of HSDS_TABLES) if (tables[table.name].length > 0) files.push({ file: `${table.name}.csv`, rows: tables[table.name].length })
  checkRows(tables, rowNumbers, problems, notes)
  return { tables, rowNumbers, problems, notes, files }
}

/** Ids present and unique, strict references inside the package, organizations named once. */
function checkRows(tables: HsdsTables, rowNumbers: Record<HsdsTableName, number[]>, problems: HsdsProblem[], notes: MessageRef[]): void {
  const ids = new Map<HsdsTableName, Set<string>>()
  for (const table of HSDS_TABLES) {
    const file = `${table.name}.csv`
    const seen = new Map<string, number>()
    tables[table.name].forEach((row, index) => {
      const rowNumber = rowNumbers[table.name][index]!
      const id = row.id!.trim()
      if (!id) {
        problems.push({ file, row: rowNumber, column: 'id', message: message('hsds.idMissing', { file, row: rowNumber }), fatal: false })
      } else if (seen.has(id)) {
        problems.push({ file, row: rowNumber, column: 'id', message: message('hsds.idDuplicate', { file, row: rowNumber, id, first: seen.get(id)! }), fatal: false })
      } else {
        seen.set(id, rowNumber)
      }
    })
    ids.set(table.name, new Set(seen.keys()))
  }
  for (const table of HSDS_TABLES) {
    const file = `${table.name}.csv`
    tables[table.name].forEach((row, index) => {
      const rowNumber = rowNumbers[table.name][index]!
      for (const reference of table.references) {
        const target = row[reference.column]!.trim()
        if (!target || ids.get(reference.table)!.has(target)) continue
        const params = { file, row: rowNumber, column: reference.column, id: target, target: `${reference.table}.csv` }
        if (reference.strict) problems.push({ file, row: rowNumber, column: reference.column, message: message('hsds.brokenReference', params), fatal: false })
        else notes.push(message('hsds.looseReference', params))
      }
    })
  }
  const names = new Map<string, number>()
  tables.organizations.forEach((row, index) => {
    const rowNumber = rowNumbers.organizations[index]!
    const name = row.name!.replace(/\s+/g, ' ').trim()
    const file = 'organizations.csv'
    if (!name) {
      problems.push({ file, row: rowNumber, column: 'name', message: message('hsds.nameRequired', { file, row: rowNumber }), fatal: false })
    } else if (name.length > 120) {
      problems.push({ file, row: rowNumber, column: 'name', message: message('hsds.nameTooLong', { file, row: rowNumber, max: 120 }), fatal: false })
    } else {
      const key = name.toLocaleLowerCase('en')
      if (names.has(key)) problems.push({ file, row: rowNumber, column: 'name', message: message('hsds.nameTwice', { file, row: rowNumber, name, first: names.get(key)! }), fatal: false })
      else names.set(key, rowNumber)
    }
  })
  for (const [table, column] of [['services', 'assured_date']] as const) {
    const file = `${table}.csv`
    tables[table].forEach((row, index) => {
      const value = row[column]!.trim()
      const rowNumber = rowNumbers[table][index]!
      if (value && !isDay(value)) problems.push({ file, row: rowNumber, column, message: message('hsds.badDate', { file, row: rowNumber, column, value }), fatal: false })
    })
  }
}

function isDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const date = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value
}

/**
 * The package without its bad rows, for an import told to skip them: the rows with a problem, then
 * every row that names a skipped one through a strict reference, until none is left. Each skipped
 * row is reported once, with its first reason.
 */
export function withoutBadRows(read: ReadPackage): { tables: HsdsTables; skipped: HsdsProblem[] } {
  const bad = new Map<string, HsdsProblem>()
  const key = (file: string, row: number) => `${file}\u0000${row}`
  for (const problem of read.problems) if (problem.row !== null && !bad.has(key(problem.file, problem.row))) bad.set(key(problem.file, problem.row), problem)
  for (;;) {
    const kept = new Map<HsdsTableName, Set<string>>()
    for (const table of HSDS_TABLES) {
      const file = `${table.name}.csv`
      kept.set(table.name, new Set(read.tables[table.name].filter((_row, index) => !bad.has(key(file, read.rowNumbers[table.name][index]!))).map((row) => row.id!.trim())))
    }
    let added = false
    for (const table of HSDS_TABLES) {
      const file = `${table.name}.csv`
      read.tables[table.name].forEach((row, index) => {
        const rowNumber = read.rowNumbers[table.name][index]!
        if (bad.has(key(file, rowNumber))) return
        for (const reference of table.references) {
          const target = row[reference.column]!.trim()
          if (!reference.strict || !target || kept.get(reference.table)!.has(target)) continue
          const params = { file, row: rowNumber, column: reference.column, id: target, target: `${reference.table}.csv` }
          bad.set(key(file, rowNumber), { file, row: rowNumber, column: reference.column, message: message('hsds.skippedReference', params), fatal: false })
          added = true
          return
        }
      })
    }
    if (!added) break
  }
  const tables = emptyTables()
  for (const table of HSDS_TABLES) {
    const file = `${table.name}.csv`
    tables[table.name] = read.tables[table.name].filter((_row, index) => !bad.has(key(file, read.rowNumbers[table.name][index]!)))
  }
  return { tables, skipped: [...bad.values()] }
}
