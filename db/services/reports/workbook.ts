import type { FunderReport } from '../../report-types'
import { cellValue, reportLines, type ReportLine } from './export'

/**
 * The funder report as an Excel workbook: one sheet per table, each headed by the center's name
 * and the range, its rows the same lines (and the same suppressed values) as the CSV. `now` is the
 * caller's clock, for the workbook's created and modified stamps (exceljs would take the machine's).
 */
export async function reportWorkbook(report: FunderReport, threshold: number | null, now: Date): Promise<Buffer> {
  // Loaded on first use: exceljs is large and only an export needs it.
  const { default: ExcelJS } = await import('exceljs')
  const book = new ExcelJS.Workbook()
  book.creator = 'Porchlight'
  book.created = now
  book.modified = now
  const tables = new Map<string, ReportLine[]>()
  for (const line of reportLines(report)) tables.set(line.table, [...(tables.get(line.table) ?? []), line])
  for (const [table, lines] of tables) {
    // Sheet names: at most 31 characters, and unique.
    const sheet = book.addWorksheet(table.slice(0, 31))
    sheet.addRow([report.centerName])
    sheet.addRow([`${report.range.from} to ${report.range.countedTo}`])
    sheet.addRow([])
    const head = sheet.addRow(['row', 'measure', 'value'])
    head.font = { bold: true }
    for (const line of lines) sheet.addRow([line.row, line.measure, cellValue(line, threshold)])
    sheet.getColumn(1).width = 28
    sheet.getColumn(2).width = 28
    sheet.getColumn(3).width = 12
  }
  return Buffer.from(await book.xlsx.writeBuffer())
}
