import { z } from 'zod'
import { channel, id } from './common'
import { range } from './reports'

export interface SavedPdf {
  /** Where the PDF was written; null when the person cancelled the save dialog (nothing was written). */
  file: string | null
}

/**
 * Saving the window's printable page as a PDF (issues 10 and 11): main prints the sender's page
 * with the center's paper (Electron's printToPDF), asks where to save it, writes it durably and
 * audits it as an export. One channel per document, so each has the permission of what it shows
 * and main builds the proposed file name from the records, not from the screen. Printing to
 * paper needs no channel: the window's own print dialog does it.
 *
 * Recovery keys have no channel here on purpose: a key saved in a file on this computer is a key
 * beside the database it opens (see renderer/src/screens/RecoveryKeyScreen.tsx).
 */
export const printingChannels = {
  /** The sign-in sheet of one session, on the page while this runs (renderer/src/groups/SignInSheet.tsx). */
  'pdf.signInSheet': channel<SavedPdf>()({ input: z.object({ sessionId: id() }).strict() }),
  /** The funder report for a range, as it is on screen (renderer/src/dashboard/FunderReportView.tsx). */
  'pdf.funderReport': channel<SavedPdf>()({
    input: z
      .object({
        range,
        /** The page as printed hides small counts, as the CSV and Excel files do (db/domain/report-suppression.ts); on unless asked not to. */
        suppress: z.boolean().optional(),
      })
      .strict(),
  }),
}
