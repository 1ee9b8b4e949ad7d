import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

/** ISO-8601 UTC timestamp text, e.g. 2026-11-25T14:03:00.000Z. */
type Timestamp = string
/** Local calendar date at the center, YYYY-MM-DD. */
type LocalDate = string
/** 0 or 1: SQLite has no boolean. */
type Flag = number

import type { Role } from './types'

export { ROLES, type Role } from './types'

export interface SettingsTable {
  key: string
  value: string
  updated_at: Timestamp
}

export interface StaffTable {
  id: Generated<number>
  username: string
  display_name: string
  role: Role
  password_hash: string
  active: ColumnType<Flag, Flag | undefined, Flag>
  failed_logins: ColumnType<number, number | undefined, number>
  locked_until: Timestamp | null
  must_change_password: ColumnType<Flag, Flag | undefined, Flag>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface ParticipantsTable {
  id: Generated<number>
  /** Short code a person can say or show; survives name changes and merges. */
  code: string
  first_name: string | null
  nickname: string | null
  last_name: string | null
  birth_year: number | null
  phone: string | null
  /** Digits only, for finding someone by the last four of their number. */
  phone_digits: string | null
  /** Lower-case, accent-free names for matching ("José" finds "jose"). */
  name_key: string
  last_visit_at: Timestamp | null
  created_by: number | null
  created_at: Timestamp
  updated_at: Timestamp
  deleted_at: Timestamp | null
}

export interface ServicesTable {
  id: Generated<number>
  key: string
  name_en: string
  name_es: string
  has_quantity: ColumnType<Flag, Flag | undefined, Flag>
  sort_order: number
  retired_at: Timestamp | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface VisitsTable {
  id: Generated<number>
  /** Null for an anonymous visit. */
  participant_id: number | null
  /** Optional short code an anonymous returning visitor chose, for honest unduplicated counts. */
  anonymous_code: string | null
  visit_date: LocalDate
  signed_in_at: Timestamp
  signed_out_at: Timestamp | null
  note: string | null
  created_by: number | null
  created_at: Timestamp
  updated_at: Timestamp
  voided_at: Timestamp | null
  void_reason: string | null
}

export interface VisitServicesTable {
  visit_id: number
  service_id: number
  quantity: number
}

export interface AuditLogTable {
  id: Generated<number>
  at: Timestamp
  staff_id: number | null
  action: string
  target_type: string | null
  target_id: number | null
  detail: string | null
  prev_hash: string
  hash: string
}

export interface Database {
  settings: SettingsTable
  staff: StaffTable
  participants: ParticipantsTable
  services: ServicesTable
  visits: VisitsTable
  visit_services: VisitServicesTable
  audit_log: AuditLogTable
}

export type Staff = Selectable<StaffTable>
export type NewStaff = Insertable<StaffTable>
export type Participant = Selectable<ParticipantsTable>
export type NewParticipant = Insertable<ParticipantsTable>
export type ParticipantUpdate = Updateable<ParticipantsTable>
export type Service = Selectable<ServicesTable>
export type Visit = Selectable<VisitsTable>
