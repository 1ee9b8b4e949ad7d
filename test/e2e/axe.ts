import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'

/** One serious or critical axe finding, with where it was. */
export interface Found {
  screen: string
  rule: string
  impact: string
  help: string
  targets: string[]
}

/** Every screen scanned in this worker, written to test-results by the specs' afterAll. */
export const scanned: string[] = []

/**
 * axe-core over the page: every rule axe has, WCAG A/AA and best practices alike (`options` replaces
 * the runOnly that `withTags` sets, so the tags here choose nothing; a scan with them alone skips
 * serious best-practice rules such as label-title-only). Every violation comes back in full; only
 * the passes and the rest are cut to one node each (`resultTypes`): on a list of 800 people that is
 * 55 KB back instead of 682 KB.
 *
 * Legacy mode runs axe.run in the page itself. The default runs axe.runPartial in each frame, then
 * opens a blank page, injects axe-core (~550 KB) into it and runs finishRun there, for every scan:
 * 3-4 times as long per scan on the demo center's screens (the same results on every screen
 * compared). Legacy mode cannot reach into cross-origin frames, and the app has no frames at all.
 */
export function axeOn(page: Page): AxeBuilder {
  return new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).options({ resultTypes: ['violations'] }).setLegacyMode()
}

/** Scans the page as it is now (WCAG 2.1 A/AA) and adds its serious and critical findings to `found`. */
export async function scan(page: Page, screen: string, found: Found[]): Promise<void> {
  // Let Mantine's transitions settle so axe sees the screen as a person does.
  await page.waitForTimeout(250)
  const results = await axeOn(page).analyze()
  scanned.push(screen)
  for (const violation of results.violations) {
    if (violation.impact !== 'serious' && violation.impact !== 'critical') continue
    found.push({
      screen,
      rule: violation.id,
      impact: violation.impact,
      help: violation.help,
      // The selector and the start of the element's HTML: Mantine's class names alone say little.
      targets: violation.nodes.slice(0, 5).map((node) => `${node.target.join(' ')} ${node.html.slice(0, 120)}`),
    })
  }
}

export function report(found: Found[]): string {
  return found.map((f) => `${f.screen}: ${f.impact} ${f.rule} (${f.help}) at ${f.targets.join(', ')}`).join('\n')
}
