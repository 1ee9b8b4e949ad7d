/**
 * Small-count suppression of the funder report, decided here once for every way it goes out: the
 * screen, the CSV and Excel files, a PDF and paper. Anything that leaves the app (a file, a PDF, a
 * printed page) hides counts from 1 to the threshold unless the person asked to show them; the
 * screen hides them only when the center's setting (or the person's switch) says so. Zero is never
 * hidden (it reveals no one), nor are means, shares and days.
 */

/** Where the report is going: staying on this screen, or leaving the building. */
export type ReportOutput = 'screen' | 'leaves'

export interface SuppressionSetting {
  /** Counts from 1 to this are shown as "<threshold+1". */
  suppressionThreshold: number
  /** Hide them on screen too. */
  suppressOnScreen: boolean
}

/**
 * The threshold `output` hides counts up to, or null when every count shows. `hide` is the person's
 * choice for this output when they made one (the report's checkbox for files, its switch for the
 * screen); without one the default holds: on for what leaves, the center's setting on screen.
 */
export function suppressionFor(setting: SuppressionSetting, output: ReportOutput, hide?: boolean): number | null {
  const hidden = hide ?? (output === 'leaves' ? true : setting.suppressOnScreen)
  return hidden ? setting.suppressionThreshold : null
}

/** A count as shown under a threshold: 1 to `threshold` as "<threshold+1", the rest as they are. */
export function isSuppressed(value: number, threshold: number | null): boolean {
  return threshold !== null && value >= 1 && value <= threshold
}
