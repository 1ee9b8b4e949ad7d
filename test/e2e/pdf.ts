import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Browser, Page } from '@playwright/test'
import type { RunningHost } from '../host/server'
import { expect } from './fixtures'

/** How long a "Save as PDF" may take: Chromium lays out and prints a report of several pages, slowly on a loaded machine. */
export const PRINTING = 60_000

/**
 * What Electron's webContents.printToPDF does in the app, done by the same engine here: Chromium
 * prints the app page this test drives, with the options main chose (paper, margins, backgrounds,
 * the page's @media print CSS). Everything else on a "Save as PDF" — the channel, the permission,
 * the save dialog's proposed name, the durable write and the audit row — is main's own code in
 * the host. `saveAs` is what the save dialog answers.
 */
export function chromiumPrints(host: RunningHost, page: Page, saveAs: string): void {
  host.platform.saveAs = saveAs
  host.platform.printer = {
    async printToPdf(options) {
      const inches = (value: number) => `${value}in`
      const pdf = await page.pdf({
        format: options.pageSize,
        landscape: options.landscape,
        margin: { top: inches(options.margins.top), bottom: inches(options.margins.bottom), left: inches(options.margins.left), right: inches(options.margins.right) },
        printBackground: options.printBackground,
        preferCSSPageSize: options.preferCSSPageSize,
      })
      return new Uint8Array(pdf)
    },
  }
}

/** The page objects Chromium's PDF writer leaves uncompressed: the count the viewer must show. */
function pagesIn(file: string): number {
  return readFileSync(file).toString('latin1').match(/\/Type\s*\/Page(?!s)/g)?.length ?? 0
}

/**
 * A PDF as a person sees it: opened in Chromium's own PDF viewer (a page of its own, off the
 * app's clock) and photographed once the viewer counts its pages (`pages`: as many as the file holds, unless told).
 */
export async function lookAtPdf(browser: Browser, file: string, shot: string, pages = pagesIn(file)): Promise<void> {
  const viewer = await browser.newPage({ viewport: { width: 900, height: 1100 } })
  await viewer.goto(pathToFileURL(resolve(file)).href)
  await expect.poll(() => viewer.frames().some((frame) => frame.url().startsWith('chrome-extension://')), { timeout: 30_000 }).toBe(true)
  const frame = viewer.frames().find((candidate) => candidate.url().startsWith('chrome-extension://'))!
  await expect(frame.getByText(`/ ${pages}`, { exact: true })).toBeVisible({ timeout: 90_000 })
  await viewer.screenshot({ path: shot })
  await viewer.close()
}
