/**
 * The unit test files whose result can depend on the date or the machine's time zone: the ones
 * that read the machine's clock or zone by design, and the ones that exercise date code (calendar
 * days, schedules, ranges, retention, rotation by day) worth running on the nights that break it.
 * `npm run test:clock` runs exactly these at its shifted instants. Any other file that reads the
 * machine's clock or zone through our code fails in the normal run (test/unit/setup.ts, with the
 * probe in test/unit/clock-probe.ts), so a file cannot be date-sensitive without being named here.
 * To see what each file reads: PORCHLIGHT_CLOCK_PROBE_OUT=<folder> npx vitest run.
 */
export const DATE_SENSITIVE: Readonly<Record<string, string>> = {
  // Date code, run on the nights that break it.
  'group-schedule.test.ts': "a group's schedule expanded across daylight-saving changes and year ends",
  'groups.test.ts': "sessions on the center's calendar days, today's sessions",
  'groups-more.test.ts': 'schedule changes from a date on, sessions moved and cancelled by day',
  'reports.test.ts': "the funder report's ranges, counted to the center's today",
  'report-rollups.test.ts': 'the daily roll-ups the reports read, by local day',
  'reports-groups.test.ts': "group attendance by the center's month",
  'reports-coaching.test.ts': 'days between coaching contacts, by range',
  'reports-admin.test.ts': "the report's ranges and the workbook's stamps from the context's clock",
  'coaching.test.ts': 'contacts due by day, next contact dates',
  'workforce.test.ts': 'hours and shifts by local day and week',
  'referrals.test.ts': 'follow-ups due and overdue by day',
  'backup-schedule.test.ts': "scheduled backups at the center's local time, across clock changes",
  'backup.test.ts': 'backups kept by day and by week',
  'retention.test.ts': 'records past their retention period, by date',
  'center-hours.test.ts': 'opening hours in the center zone, open now or not',
  'front-desk-visits.test.ts': "visits on the center's today, already here today",
  'front-desk-list.test.ts': "the desk's list of today's visits and its query plans",
  'integrity-check.test.ts': 'the daily check, due once a local day',
  'records-import.test.ts': "spreadsheet dates in written-out forms parse through date-fns in the machine's zone; future dates refused by the center's today",

  // Reading the computer's clock or zone is what these test.
  'electron-main.test.ts': "starts the real main process (electron/main/index.ts), whose core runs on the computer's clock and zone, by design",
  'demo.test.ts': "the demo center is filled up to this minute in the computer's zone (test/host/demo.ts), by design",
}
