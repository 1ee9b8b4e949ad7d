import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * The peer workforce (issue 16): each staff member's credentials, training and supervision.
 * Requirements are data: a credential kind says how long a renewal period is and how many
 * training hours it needs, in total and per category. Hours are kept as whole minutes so sums
 * are exact. Scanned copies live in the encrypted database itself (never beside it), one row
 * each, so a backup carries them and a look at one can be audited.
 */
const DATE = `GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'`
const statements = [
  `CREATE TABLE workforce_categories (
     id INTEGER PRIMARY KEY,
     key TEXT NOT NULL UNIQUE,
     name_en TEXT NOT NULL,
     name_es TEXT NOT NULL,
     position INTEGER NOT NULL,
     active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
   )`,
  `CREATE TABLE workforce_credential_kinds (
     id INTEGER PRIMARY KEY,
     key TEXT NOT NULL UNIQUE,
     name_en TEXT NOT NULL,
     name_es TEXT NOT NULL,
     period_months INTEGER NOT NULL CHECK (period_months BETWEEN 1 AND 120),
     required_minutes INTEGER NOT NULL DEFAULT 0 CHECK (required_minutes >= 0),
     -- {"<category key>": minutes, ...}: the part of the total that must be in each category.
     category_minutes TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(category_minutes) AND json_type(category_minutes) = 'object'),
     position INTEGER NOT NULL,
     active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
   )`,
  `CREATE TABLE workforce_documents (
     id INTEGER PRIMARY KEY,
     staff_id INTEGER NOT NULL REFERENCES staff(id),
     file_name TEXT NOT NULL,
     mime TEXT NOT NULL CHECK (mime IN ('application/pdf', 'image/png', 'image/jpeg')),
     size INTEGER NOT NULL CHECK (size > 0),
     sha256 TEXT NOT NULL,
     content BLOB NOT NULL,
     created_by INTEGER REFERENCES staff(id),
     created_at TEXT NOT NULL
   )`,
  `CREATE TABLE workforce_credentials (
     id INTEGER PRIMARY KEY,
     staff_id INTEGER NOT NULL REFERENCES staff(id),
     kind_id INTEGER NOT NULL REFERENCES workforce_credential_kinds(id),
     issuer TEXT NOT NULL,
     number TEXT,
     issued_on TEXT NOT NULL CHECK (issued_on ${DATE}),
     expires_on TEXT CHECK (expires_on IS NULL OR (expires_on ${DATE} AND expires_on > issued_on)),
     document_id INTEGER REFERENCES workforce_documents(id),
     -- Renewal history: a renewal is a new row pointing at the one it replaces.
     renews_id INTEGER UNIQUE REFERENCES workforce_credentials(id),
     created_by INTEGER REFERENCES staff(id),
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   )`,
  `CREATE INDEX workforce_credentials_staff ON workforce_credentials(staff_id, kind_id)`,
  `CREATE INDEX workforce_credentials_expiry ON workforce_credentials(expires_on)`,
  `CREATE TABLE workforce_training (
     id INTEGER PRIMARY KEY,
     staff_id INTEGER NOT NULL REFERENCES staff(id),
     taken_on TEXT NOT NULL CHECK (taken_on ${DATE}),
     title TEXT NOT NULL,
     provider TEXT,
     minutes INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
     category_id INTEGER NOT NULL REFERENCES workforce_categories(id),
     document_id INTEGER REFERENCES workforce_documents(id),
     confirmed_by INTEGER REFERENCES staff(id),
     confirmed_at TEXT,
     created_by INTEGER REFERENCES staff(id),
     created_at TEXT NOT NULL
   )`,
  `CREATE INDEX workforce_training_staff ON workforce_training(staff_id, taken_on)`,
  `CREATE TABLE workforce_supervision (
     id INTEGER PRIMARY KEY,
     staff_id INTEGER NOT NULL REFERENCES staff(id),
     supervisor_id INTEGER NOT NULL REFERENCES staff(id),
     held_on TEXT NOT NULL CHECK (held_on ${DATE}),
     minutes INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
     format TEXT NOT NULL CHECK (format IN ('individual', 'group')),
     note TEXT,
     created_by INTEGER REFERENCES staff(id),
     created_at TEXT NOT NULL,
     CHECK (supervisor_id <> staff_id)
   )`,
  `CREATE INDEX workforce_supervision_staff ON workforce_supervision(staff_id, held_on)`,
  `INSERT INTO workforce_categories (key, name_en, name_es, position) VALUES
     ('ethics', 'Ethics', 'Ética', 1),
     ('cultural_competence', 'Cultural competence', 'Competencia cultural', 2),
     ('trauma_informed', 'Trauma-informed care', 'Atención informada sobre el trauma', 3),
     ('hiv_hepatitis', 'HIV and hepatitis', 'VIH y hepatitis', 4),
     ('suicide_prevention', 'Suicide prevention', 'Prevención del suicidio', 5),
     ('other', 'Other', 'Otra', 6)`,
  // Typical figures; a center changes them to its state's rules.
  `INSERT INTO workforce_credential_kinds (key, name_en, name_es, period_months, required_minutes, category_minutes, position) VALUES
     ('state_prs', 'State peer recovery specialist certification', 'Certificación estatal de especialista en recuperación entre pares', 24, 2400, '{"ethics":360}', 1),
     ('national_prs', 'National peer recovery support specialist certification', 'Certificación nacional de especialista en apoyo de recuperación entre pares', 24, 1200, '{"ethics":180}', 2),
     ('cpr', 'CPR and first aid', 'RCP y primeros auxilios', 24, 0, '{}', 3),
     ('naloxone_trainer', 'Naloxone trainer', 'Capacitador de naloxona', 12, 0, '{}', 4)`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
}
