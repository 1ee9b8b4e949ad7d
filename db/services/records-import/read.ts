import { createHash } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { basename, extname } from 'node:path'
import Papa from 'papaparse'
import { message, type MessageRef } from '../../../shared/messages'
import { MAX_IMPORT_BYTES } from '../../domain/records-import'
import type { RecordProblem } from '../../records-import-types'

/** A spreadsheet's first sheet (or a CSV file) as text cells, with what was found wrong with the file as a whole. */
export interface RecordsTable {
  file: string
  name: string
  /** sha256 of the file's bytes: the same file given twice is known. */
  sha256: string
  headers: string[]
  rows: string[][]
  /** Each row's number as a spreadsheet shows it (the header is row 1). */
  rowNumbers: number[]
  /** Problems with the whole file: nothing can be imported from it. */
  problems: RecordProblem[]
  /** What was noticed and is fine (a Windows-1252 file, another separator). */
  notes: MessageRef[]
}

/** A cell longer than this is not a name, a date or a list of services: a wrong column or a wrong file. */
export const MAX_CELL = 2000

const fatal = (file: string, ref: MessageRef): RecordProblem => ({ file, row: null, column: null, message: ref, fatal: true })

const SEPARATORS: Record<string, string> = { ',': ',', ';': ';', '\t': 'TAB', '|': '|' }

/** The text of a CSV file: UTF-8 (with or without its byte-order mark), UTF-16 with its mark, or else Windows-1252. */
function decode(name: string, bytes: Buffer, notes: MessageRef[]): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2))
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2))
  try {
    // ignoreBOM false: the decoder drops a UTF-8 byte-order mark (Excel's "CSV UTF-8" writes one).
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    // Excel's plain "CSV" on Windows writes Windows-1252: "Peña" is 0xF1 there, invalid UTF-8.
    notes.push(message('recordsImport.windows1252', { file: name }))
    return new TextDecoder('windows-1252').decode(bytes)
  }
}

function readCsv(name: string, bytes: Buffer, problems: RecordProblem[], notes: MessageRef[]): { cells: string[][]; numbers: number[] } {
  const text = decode(name, bytes, notes)
  if (text.trim() === '') {
    problems.push(fatal(name, message('recordsImport.empty', { file: name })))
    return { cells: [], numbers: [] }
  }
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: 'greedy', delimitersToGuess: Object.keys(SEPARATORS) })
  const broken = parsed.errors.find((error) => error.type === 'Quotes')
  if (broken) {
    const row = (broken.row ?? 0) + 1
    problems.push({ file: name, row, column: null, message: message('recordsImport.quotes', { file: name, row }), fatal: true })
  }
  const separator = parsed.meta.delimiter
  if (separator && separator !== ',' && SEPARATORS[separator]) notes.push(message('recordsImport.separator', { file: name, separator: SEPARATORS[separator] }))
  return { cells: parsed.data, numbers: parsed.data.map((_row, index) => index + 1) }
}

/** A cell of a spreadsheet as the text a person sees; a date as ISO, a time of day as HH:MM. */
function cellText(value: unknown): string | { formula: string } {
  if (value === null || value === undefined) return ''
  if (value instanceof Date) {
    const iso = value.toISOString()
    // Excel keeps a time of day as a date in 1899; a day at midnight is a plain date.
    if (iso.startsWith('1899-12-3')) return iso.slice(11, 16)
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`
  }
  if (typeof value === 'object') {
    const cell = value as { formula?: string; sharedFormula?: string; richText?: Array<{ text: string }>; text?: string; result?: unknown }
    if (cell.formula || cell.sharedFormula) return { formula: `=${cell.formula ?? cell.sharedFormula}` }
    if (cell.richText) return cell.richText.map((part) => part.text).join('')
    if (typeof cell.text === 'string') return cell.text
    return ''
  }
  return String(value)
}

async function readXlsx(name: string, bytes: Buffer, problems: RecordProblem[]): Promise<{ cells: string[][]; numbers: number[] }> {
  // Loaded on first use: exceljs is large and only an Excel import needs it.
  const { default: ExcelJS } = await import('exceljs')
  const book = new ExcelJS.Workbook()
  try {
    await book.xlsx.load(bytes as unknown as ArrayBuffer)
  } catch {
    problems.push(fatal(name, message('recordsImport.notSpreadsheet', { file: name })))
    return { cells: [], numbers: [] }
  }
  const sheet = book.worksheets[0]
  const cells: string[][] = []
  const numbers: number[] = []
  sheet?.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values = (row.values as unknown[]).slice(1)
    const texts = values.map((value, at) => {
      const text = cellText(value)
      if (typeof text === 'string') return text
      problems.push({ file: name, row: rowNumber, column: String(at + 1), message: message('recordsImport.formula', { file: name, row: rowNumber, column: String(at + 1), start: '=' }), fatal: false })
      return text.formula
    })
    if (texts.some((text) => text.trim() !== '')) {
      cells.push(texts)
      numbers.push(rowNumber)
    }
  })
  if (cells.length === 0) problems.push(fatal(name, message('recordsImport.empty', { file: name })))
  return { cells, numbers }
}

/** Reads a people list or a sign-in log; writes nothing. */
export async function readRecordsFile(file: string): Promise<RecordsTable> {
  const name = basename(file)
  const problems: RecordProblem[] = []
  const notes: MessageRef[] = []
  const table: RecordsTable = { file, name, sha256: '', headers: [], rows: [], rowNumbers: [], problems, notes }
  let size: number
  try {
    const stat = statSync(file)
    if (!stat.isFile()) throw new Error('not a file')
    size = stat.size
  } catch {
    problems.push(fatal(name, message('recordsImport.fileMissing', { file })))
    return table
  }
  if (size > MAX_IMPORT_BYTES) {
    problems.push(fatal(name, message('recordsImport.tooLarge', { file: name, size: Math.ceil(size / 1024 / 1024), max: MAX_IMPORT_BYTES / 1024 / 1024 })))
    return table
  }
  const bytes = readFileSync(file)
  table.sha256 = createHash('sha256').update(bytes).digest('hex')
  if (bytes.length === 0) {
    problems.push(fatal(name, message('recordsImport.empty', { file: name })))
    return table
  }
  const zip = bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04
  const oldExcel = bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)
  let read: { cells: string[][]; numbers: number[] }
  if (oldExcel || extname(name).toLowerCase() === '.xls') {
    problems.push(fatal(name, message('recordsImport.oldExcel', { file: name })))
    return table
  } else if (zip) {
    read = await readXlsx(name, bytes, problems)
  } else if (!utf16 && bytes.subarray(0, 8192).includes(0)) {
    problems.push(fatal(name, message('recordsImport.notCsv', { file: name })))
    return table
  } else {
    read = readCsv(name, bytes, problems, notes)
  }
  if (problems.some((problem) => problem.fatal)) return table
  const [header = [], ...body] = read.cells
  const headers = header.map((cell, at) => cell.replace(/\s+/g, ' ').trim() || `(${at + 1})`)
  const seen = new Set<string>()
  for (const column of headers) {
    const key = column.toLowerCase()
    if (seen.has(key)) problems.push({ file: name, row: 1, column, message: message('recordsImport.headerTwice', { file: name, column }), fatal: true })
    seen.add(key)
  }
  if (headers.length < 2) problems.push(fatal(name, message('recordsImport.oneColumn', { file: name })))
  else if (body.length === 0) problems.push(fatal(name, message('recordsImport.noRows', { file: name })))
  table.headers = headers
  table.rows = body
  table.rowNumbers = read.numbers.slice(1)
  return table
}

/** The same columns in the same order, whatever the rows: a mapping made for one month's file fits the next. */
export function layoutOf(kind: string, headers: readonly string[]): string {
  return createHash('sha256')
    .update([kind, ...headers.map((header) => header.toLowerCase())].join('\u0000'))
    .digest('hex')
    .slice(0, 24)
}
