import type { Kysely } from 'kysely'
import type { Migration } from 'kysely/migration'
import * as m0001 from './0001_initial'
import * as m0002 from './0002_front_desk'
import * as m0003 from './0003_search'
import * as m0004 from './0004_open_visit_lookup'
import * as m0005 from './0005_staff'
import * as m0006 from './0006_backups'
import * as m0007 from './0007_referrals'
import * as m0008 from './0008_assessments'
import * as m0009 from './0009_open_visit_order'
import * as m0010 from './0010_reports'
import * as m0011 from './0011_groups'
import * as m0012 from './0012_report_rollups'
import * as m0013 from './0013_coaching'
import * as m0014 from './0014_workforce'
import * as m0016 from './0016_lighter_writes'
import * as m0018 from './0018_safety'
import * as m0019 from './0019_merge_moves_more'
import * as m0021 from './0021_coaching_barc_and_writes'
import * as m0022 from './0022_records_import'
import * as m0024 from './0024_incidents'
import * as m0026 from './0026_referral_states'
import * as m0027 from './0027_group_days'
import * as m0028 from './0028_contact_writes'
import * as m0029 from './0029_import_pending'
import * as m0031 from './0031_assessment_indexes'
import * as m0032 from './0032_group_people'
import * as m0033 from './0033_overdose_index'
import * as m0034 from './0034_one_open_visit'
import * as m0035 from './0035_row_versions'
import * as m0036 from './0036_group_people_marks'
import * as m0037 from './0037_assessment_steps'
import * as m0038 from './0038_referral_months'
import * as m0040 from './0040_more_row_versions'
import * as m0041 from './0041_change_feed'
import * as m0042 from './0042_last_days'
import * as m0043 from './0043_group_returns'
import * as m0045 from './0045_centers'
import * as m0050 from './0050_write_requests'
import * as m0051 from './0051_search_build'
import * as m0052 from './0052_people_pending'
import * as m0053 from './0053_center_codes'
import * as m0057 from './0057_center_archive'
import * as m0058 from './0058_fewer_sign_in_pages'
import * as m0060 from './0060_person_matches'
import * as m0061 from './0061_center_uniques'
import * as m0062 from './0062_sign_in_pages'
import * as m0063 from './0063_server_sign_in'
import * as m0065 from './0065_sign_in_ratio'
import * as m0066 from './0066_one_person_write'

/**
 * Every migration, in order, as one static list: bundlers cannot scan a folder.
 * Names are zero-padded numbers so kysely's alphabetical order is numeric order.
 * Forward-only: there are no `down` functions, a restore from backup is the way back.
 */
export const migrationList: ReadonlyArray<readonly [string, { up(db: Kysely<unknown>): Promise<void> }]> = [
  ['0001_initial', m0001],
  ['0002_front_desk', m0002],
  ['0003_search', m0003],
  ['0004_open_visit_lookup', m0004],
  ['0005_staff', m0005],
  ['0006_backups', m0006],
  ['0007_referrals', m0007],
  ['0008_assessments', m0008],
  ['0009_open_visit_order', m0009],
  ['0010_reports', m0010],
  ['0011_groups', m0011],
  ['0012_report_rollups', m0012],
  ['0013_coaching', m0013],
  ['0014_workforce', m0014],
  ['0016_lighter_writes', m0016],
  ['0018_safety', m0018],
  ['0019_merge_moves_more', m0019],
  ['0021_coaching_barc_and_writes', m0021],
  ['0022_records_import', m0022],
  ['0024_incidents', m0024],
  ['0026_referral_states', m0026],
  ['0027_group_days', m0027],
  ['0028_contact_writes', m0028],
  ['0029_import_pending', m0029],
  ['0031_assessment_indexes', m0031],
  ['0032_group_people', m0032],
  ['0033_overdose_index', m0033],
  ['0034_one_open_visit', m0034],
  ['0035_row_versions', m0035],
  ['0036_group_people_marks', m0036],
  ['0037_assessment_steps', m0037],
  ['0038_referral_months', m0038],
  ['0040_more_row_versions', m0040],
  ['0041_change_feed', m0041],
  ['0042_last_days', m0042],
  ['0043_group_returns', m0043],
  ['0045_centers', m0045],
  ['0050_write_requests', m0050],
  ['0051_search_build', m0051],
  ['0052_people_pending', m0052],
  ['0053_center_codes', m0053],
  ['0057_center_archive', m0057],
  ['0058_fewer_sign_in_pages', m0058],
  ['0060_person_matches', m0060],
  ['0061_center_uniques', m0061],
  ['0062_sign_in_pages', m0062],
  ['0063_server_sign_in', m0063],
  ['0065_sign_in_ratio', m0065],
  ['0066_one_person_write', m0066],
]

/**
 * Migrations start at 0001 and their numbers only go up. A number may be skipped: numbers are
 * handed out to branches in advance (0013 to 0017 were), so a branch can hold 0016 before 0013
 * has landed; the merge puts them back in order, and a number used twice or out of order throws.
 */
export function checkMigrationOrder(list = migrationList): void {
  let previous = 0
  list.forEach(([name], index) => {
    const number = /^(\d{4})_/.exec(name) ? Number(name.slice(0, 4)) : NaN
    if (index === 0 && number !== 1) throw new Error(`Migration 1 is named ${name}; expected it to start with 0001_`)
    if (index > 0 && !(number > previous)) {
      throw new Error(`Migration ${index + 1} is named ${name}; expected a number above ${String(previous).padStart(4, '0')}`)
    }
    previous = number
  })
}

export function migrationRecord(): Record<string, Migration> {
  checkMigrationOrder()
  return Object.fromEntries(migrationList.map(([name, m]) => [name, { up: m.up } as Migration]))
}

/** A schema version is the number of the newest migration a database holds (0 for none). */
export function schemaVersionOf(names: readonly string[]): number {
  return names.reduce((newest, name) => Math.max(newest, Number(/^(\d{4})_/.exec(name)?.[1] ?? 0)), 0)
}

/** The schema version this build of Porchlight writes. */
export const SCHEMA_VERSION = schemaVersionOf(migrationList.map(([name]) => name))
