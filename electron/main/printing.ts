import type { WebContents } from 'electron'
import type { PdfPageOptions, PrintingPage } from '../ipc/printing'

/**
 * The sender's page printed by Chromium inside Electron, with its @media print stylesheet: what
 * the app's print dialog would put on paper, as PDF bytes for main to write. Only the options
 * main chose reach printToPDF (no header or footer: no URL or date stamped on a sheet of names).
 */
export function webContentsPage(contents: Pick<WebContents, 'printToPDF'>): PrintingPage {
  return {
    async printToPdf(options: PdfPageOptions) {
      const pdf = await contents.printToPDF({
        pageSize: options.pageSize,
        landscape: options.landscape,
        margins: { ...options.margins },
        printBackground: options.printBackground,
        preferCSSPageSize: options.preferCSSPageSize,
        displayHeaderFooter: false,
      })
      return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength)
    },
  }
}
