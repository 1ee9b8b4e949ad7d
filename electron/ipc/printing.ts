import { randomBytes } from 'node:crypto'
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type { AuditAction } from '../../db/audit-actions'
import { fsyncDirectory } from '../../db/keystore-pending'
import { recordRead } from '../../db/services/audit-log'
import { ServiceError } from '../../db/services/context'
import type { SavedPdf } from './contract/printing'
import type { CallContext } from './handlers/types'

/** Paper sizes Porchlight prints on: US Letter where centers use it, ISO A4 elsewhere. */
export type PaperSize = 'Letter' | 'A4'

/**
 * How main asks the window to print itself as a PDF: the page as its @media print stylesheet
 * lays it out (the app's chrome hidden, only the sheet or the report), on the center's paper.
 */
export interface PdfPageOptions {
  pageSize: PaperSize
  landscape: boolean
  /** Inches, as Electron's printToPDF takes them. */
  margins: { top: number; bottom: number; left: number; right: number }
  /** The report's shaded headers and the sheet's lines are part of what is printed. */
  printBackground: boolean
  /** An @page rule in the stylesheet, if a sheet sets one, wins over pageSize. */
  preferCSSPageSize: boolean
}

/**
 * The window that asked, as far as printing goes: Electron's webContents in the app
 * (electron/main/printing.ts), Chromium driven by Playwright in the test host. Lives on the call,
 * not the core: it is the sender's page that is printed, never another window's.
 */
export interface PrintingPage {
  printToPdf(options: PdfPageOptions): Promise<Uint8Array>
}

/**
 * Letter in the Americas (the United States, Canada, Mexico and most of Central America use it;
 * the few South American A4 countries are a small error on a sheet that still prints whole, as
 * the content is scaled to fit) and the Philippines; A4 everywhere else. Read from the center's
 * time zone, which an admin sets once in Settings: a center has no other "locale" on record.
 */
export function paperSizeFor(timeZone: string): PaperSize {
  return /^(America|US|Canada)\//.test(timeZone) || timeZone === 'Pacific/Honolulu' || timeZone === 'Asia/Manila' ? 'Letter' : 'A4'
}

/** About 1 cm all round: inside every printer's unprintable edge, with the sheets' own padding inside it. */
const MARGIN_INCHES = 0.4

export function pdfPageOptions(timeZone: string): PdfPageOptions {
  return {
    pageSize: paperSizeFor(timeZone),
    landscape: false,
    margins: { top: MARGIN_INCHES, bottom: MARGIN_INCHES, left: MARGIN_INCHES, right: MARGIN_INCHES },
    printBackground: true,
    preferCSSPageSize: true,
  }
}

/** What went wrong writing the file, as a message that says what to do next. */
export function fileProblem(error: unknown, file: string): ServiceError {
  const code = (error as NodeJS.ErrnoException | null)?.code
  const folder = dirname(file)
  if (code === 'ENOSPC' || code === 'EDQUOT') return new ServiceError('CONFLICT', 'print.diskFull', { folder })
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return new ServiceError('CONFLICT', 'print.noPermission', { folder })
  if (code === 'ENOENT' || code === 'ENOTDIR') return new ServiceError('CONFLICT', 'print.noFolder', { folder })
  return new ServiceError('CONFLICT', 'print.writeFailed', { file, reason: error instanceof Error ? error.message : String(error) })
}

/**
 * A file that is either all there or not there: written beside its final name, flushed to the
 * disk, then renamed over it (a rename within a folder is atomic), and the folder flushed so the
 * rename itself survives a power cut. `beforeRename` runs once the bytes are safe (the audit row);
 * if it fails, the temporary file is removed and nothing is left behind.
 */
export async function writeDurably(file: string, bytes: Uint8Array, beforeRename: () => Promise<void> = async () => {}): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(4).toString('hex')}.part`)
  let renamed = false
  try {
    const fd = openSync(temp, 'wx', 0o600)
    try {
      let offset = 0
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    await beforeRename()
    renameSync(temp, file)
    renamed = true
    fsyncDirectory(dirname(file))
  } catch (error) {
    if (!renamed) rmSync(temp, { force: true })
    throw error instanceof ServiceError ? error : fileProblem(error, file)
  }
}

export interface PdfToSave {
  /** What the save dialog proposes: "sign-in-sheet-<group>-<date>.pdf". */
  fileName: string
  /** The audit row, written once the PDF is safely on disk and before it takes its name. */
  audit: { action: AuditAction; targetType?: string; targetId?: number; detail: Record<string, unknown> }
}

/**
 * The window's page saved as a PDF where the person chooses: the save dialog first (a cancel
 * costs nothing and changes nothing), then the page printed with the center's paper, then the
 * file written durably and the export audited like the CSV and letter exports.
 */
export async function savePagePdf(call: CallContext, pdf: PdfToSave): Promise<SavedPdf> {
  const page = call.page
  if (!page) throw new ServiceError('CONFLICT', 'print.noPage')
  const file = await call.core.platform.chooseSaveFile(pdf.fileName)
  if (file === null) return { file: null }
  const bytes = await page.printToPdf(pdfPageOptions(call.core.timeZone))
  const ctx = call.core.context(call.session)
  await writeDurably(file, bytes, () => recordRead(ctx, { ...pdf.audit, detail: { ...pdf.audit.detail, format: 'pdf', file } }))
  return { file }
}

/** A name that is safe as part of a file name on every OS: letters and digits kept, the rest one dash. */
export function fileNamePart(text: string): string {
  const part = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '')
  return part || 'group'
}
