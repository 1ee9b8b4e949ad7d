/**
 * The names of the renderer's performance marks (set in renderer/src/lib/perf.ts), shared with the bench that
 * reads them (bench/felt.ts): the sign-in form ready, results under the desk's search, a new
 * visit on today's board, every chart for a new dashboard range.
 */
export const MARKS = {
  login: 'porchlight:login-ready',
  search: 'porchlight:search-painted',
  board: 'porchlight:board-painted',
  dashboard: 'porchlight:dashboard-painted',
} as const
