import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

const statements = [
  `CREATE TABLE settings (
     key TEXT PRIMARY KEY,
     value TEXT NOT NULL,
     updated_at TEXT NOT NULL
   ) STRICT`,
  `CREATE TABLE staff (
     id INTEGER PRIMARY KEY,
     username TEXT NOT NULL COLLATE NOCASE UNIQUE,
     display_name TEXT NOT NULL,
     role TEXT NOT NULL CHECK (role IN ('front_desk','facilitator','peer_specialist','manager','admin')),
     password_hash TEXT NOT NULL,
     active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),
     failed_logins INTEGER NOT NULL DEFAULT 0,
     locked_until TEXT,
     must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0,1)),
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   ) STRICT`,
  `CREATE TABLE participants (
     id INTEGER PRIMARY KEY,
     code TEXT NOT NULL UNIQUE,
     first_name TEXT,
     nickname TEXT,
     last_name TEXT,
     birth_year INTEGER CHECK (birth_year BETWEEN 1900 AND 2100),
     phone TEXT,
     phone_digits TEXT,
     name_key TEXT NOT NULL,
     last_visit_at TEXT,
     created_by INTEGER REFERENCES staff(id),
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     deleted_at TEXT,
     CHECK (coalesce(trim(first_name), '') <> '' OR coalesce(trim(nickname), '') <> '')
   ) STRICT`,
  `CREATE INDEX participants_last_visit ON participants(last_visit_at DESC) WHERE deleted_at IS NULL`,
  `CREATE TABLE services (
     id INTEGER PRIMARY KEY,
     key TEXT NOT NULL UNIQUE,
     name_en TEXT NOT NULL,
     name_es TEXT NOT NULL,
     has_quantity INTEGER NOT NULL DEFAULT 0 CHECK (has_quantity IN (0,1)),
     sort_order INTEGER NOT NULL,
     retired_at TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   ) STRICT`,
  `CREATE TABLE visits (
     id INTEGER PRIMARY KEY,
     participant_id INTEGER REFERENCES participants(id),
     anonymous_code TEXT,
     visit_date TEXT NOT NULL,
     signed_in_at TEXT NOT NULL,
     signed_out_at TEXT,
     note TEXT,
     created_by INTEGER REFERENCES staff(id),
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     voided_at TEXT,
     void_reason TEXT
   ) STRICT`,
  `CREATE INDEX visits_by_date ON visits(visit_date, signed_in_at)`,
  `CREATE INDEX visits_by_participant ON visits(participant_id, signed_in_at)`,
  `CREATE TABLE visit_services (
     visit_id INTEGER NOT NULL REFERENCES visits(id),
     service_id INTEGER NOT NULL REFERENCES services(id),
     quantity INTEGER NOT NULL DEFAULT 1 CHECK (quantity BETWEEN 1 AND 999),
     PRIMARY KEY (visit_id, service_id)
   ) STRICT, WITHOUT ROWID`,
  `CREATE INDEX visit_services_by_service ON visit_services(service_id)`,
  `CREATE TABLE audit_log (
     id INTEGER PRIMARY KEY,
     at TEXT NOT NULL,
     staff_id INTEGER REFERENCES staff(id),
     action TEXT NOT NULL,
     target_type TEXT,
     target_id INTEGER,
     detail TEXT,
     prev_hash TEXT NOT NULL,
     hash TEXT NOT NULL
   ) STRICT`,
  // Append-only: the application never needs to change or remove an audit row.
  `CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
     BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`,
  `CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
     BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`,
]

const seedServices: Array<[string, string, string, number]> = [
  ['peer_support', 'Peer support', 'Apoyo entre pares', 0],
  ['meal', 'Meal', 'Comida', 1],
  ['shower', 'Shower', 'Ducha', 0],
  ['laundry', 'Laundry', 'Lavandería', 0],
  ['phone', 'Phone', 'Teléfono', 0],
  ['computer', 'Computer', 'Computadora', 0],
  ['naloxone', 'Naloxone kit', 'Kit de naloxona', 1],
  ['referral', 'Referral', 'Referido', 0],
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
  const now = new Date().toISOString()
  for (const [index, [key, en, es, hasQuantity]] of seedServices.entries()) {
    await sql`INSERT INTO services (key, name_en, name_es, has_quantity, sort_order, created_at, updated_at)
              VALUES (${key}, ${en}, ${es}, ${hasQuantity}, ${index + 1}, ${now}, ${now})`.execute(db)
  }
}
