import type { Kysely } from 'kysely'
import type { Migration } from 'kysely/migration'
import * as p0024 from './0024_baseline'
import * as p0026 from './0026_referral_states'
import * as p0027 from './0027_group_days'
import * as p0028 from './0028_contact_writes'
import * as p0029 from './0029_import_pending'
import * as p0031 from './0031_assessment_indexes'
import * as p0032 from './0032_group_people'
import * as p0033 from './0033_overdose_index'
import * as p0034 from './0034_one_open_visit'
import * as p0035 from './0035_row_versions'
import * as p0036 from './0036_group_people_marks'
import * as p0037 from './0037_assessment_steps'
import * as p0038 from './0038_referral_months'
import * as p0040 from './0040_more_row_versions'
import * as p0041 from './0041_change_feed'
import * as p0042 from './0042_last_days'
import * as p0043 from './0043_group_returns'
import * as p0045 from './0045_centers'
import * as p0050 from './0050_write_requests'
import * as p0051 from './0051_search_build'
import * as p0052 from './0052_people_pending'
import * as p0053 from './0053_center_codes'
import * as p0057 from './0057_center_archive'
import * as p0058 from './0058_fewer_sign_in_pages'
import * as p0060 from './0060_person_matches'
import * as p0061 from './0061_center_uniques'
import * as p0062 from './0062_sign_in_pages'
import * as p0063 from './0063_server_sign_in'
import * as p0065 from './0065_sign_in_ratio'
import * as p0066 from './0066_one_person_write'

/**
 * PostgreSQL's migrations, parallel to SQLite's (../index.ts). No PostgreSQL database predates
 * schema 24, so the list starts with the whole of it in one step; every later SQLite migration
 * has a twin here of the same name, which builds the same tables, columns, constraints, indexes
 * and triggers in PostgreSQL's words (test/unit/pg-schema.test.ts compares the two schemas).
 */
export const postgresMigrationList: ReadonlyArray<readonly [string, { up(db: Kysely<unknown>): Promise<void> }]> = [
  ['0024_baseline', p0024],
  ['0026_referral_states', p0026],
  ['0027_group_days', p0027],
  ['0028_contact_writes', p0028],
  ['0029_import_pending', p0029],
  ['0031_assessment_indexes', p0031],
  ['0032_group_people', p0032],
  ['0033_overdose_index', p0033],
  ['0034_one_open_visit', p0034],
  ['0035_row_versions', p0035],
  ['0036_group_people_marks', p0036],
  ['0037_assessment_steps', p0037],
  ['0038_referral_months', p0038],
  ['0040_more_row_versions', p0040],
  ['0041_change_feed', p0041],
  ['0042_last_days', p0042],
  ['0043_group_returns', p0043],
  ['0045_centers', p0045],
  ['0050_write_requests', p0050],
  ['0051_search_build', p0051],
  ['0052_people_pending', p0052],
  ['0053_center_codes', p0053],
  ['0057_center_archive', p0057],
  ['0058_fewer_sign_in_pages', p0058],
  ['0060_person_matches', p0060],
  ['0061_center_uniques', p0061],
  ['0062_sign_in_pages', p0062],
  ['0063_server_sign_in', p0063],
  ['0065_sign_in_ratio', p0065],
  ['0066_one_person_write', p0066],
]

/** The numbers only go up (a skipped one is fine, as in SQLite's list). */
export function checkPostgresMigrationOrder(list = postgresMigrationList): void {
  let previous = 0
  for (const [name] of list) {
    const number = /^(\d{4})_/.exec(name) ? Number(name.slice(0, 4)) : NaN
    if (!(number > previous)) throw new Error(`PostgreSQL migration ${name} is out of order; expected a number above ${String(previous).padStart(4, '0')}`)
    previous = number
  }
}

export function postgresMigrationRecord(): Record<string, Migration> {
  checkPostgresMigrationOrder()
  return Object.fromEntries(postgresMigrationList.map(([name, m]) => [name, { up: m.up } as Migration]))
}
