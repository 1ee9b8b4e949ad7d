import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/** A person who shows in lists, searches and duplicate checks: not merged away, not deleted. */
const ACTIVE = 'merged_into IS NULL AND deleted_at IS NULL'

const statements = [
  // ----- participants: the optional fields a center may collect (which ones: its field rules).
  `ALTER TABLE participants ADD COLUMN birth_date TEXT
     CHECK (birth_date IS NULL OR birth_date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]')`,
  `ALTER TABLE participants ADD COLUMN pronouns TEXT`,
  `ALTER TABLE participants ADD COLUMN gender TEXT`,
  `ALTER TABLE participants ADD COLUMN race_ethnicity TEXT`,
  `ALTER TABLE participants ADD COLUMN veteran_status TEXT CHECK (veteran_status IN ('yes','no','declined'))`,
  `ALTER TABLE participants ADD COLUMN housing_status TEXT
     CHECK (housing_status IN ('housed','unstably_housed','sheltered','unsheltered','institution','declined'))`,
  `ALTER TABLE participants ADD COLUMN preferred_language TEXT`,
  `ALTER TABLE participants ADD COLUMN heard_about TEXT`,
  `ALTER TABLE participants ADD COLUMN emergency_contact_name TEXT`,
  `ALTER TABLE participants ADD COLUMN emergency_contact_phone TEXT`,
  // Set while this record is merged into another; cleared by undoing the merge.
  `ALTER TABLE participants ADD COLUMN merged_into INTEGER REFERENCES participants(id)`,
  // Normalized (lower-case, accent-free) single names, for duplicate checks and the kiosk.
  `ALTER TABLE participants ADD COLUMN first_key TEXT`,
  `ALTER TABLE participants ADD COLUMN nick_key TEXT`,
  `ALTER TABLE participants ADD COLUMN last_key TEXT`,
  // Visits that count (not voided), kept by the triggers below so "sort by visits" is an index walk.
  `ALTER TABLE participants ADD COLUMN visit_count INTEGER NOT NULL DEFAULT 0 CHECK (visit_count >= 0)`,

  // ----- merges, and the codes of merged records that still find the kept person
  `CREATE TABLE participant_merges (
     id INTEGER PRIMARY KEY,
     kept_id INTEGER NOT NULL REFERENCES participants(id),
     merged_id INTEGER NOT NULL REFERENCES participants(id),
     merged_code TEXT NOT NULL,
     moved_visit_ids TEXT NOT NULL CHECK (json_valid(moved_visit_ids) AND json_type(moved_visit_ids) = 'array'),
     moved_alias_codes TEXT NOT NULL CHECK (json_valid(moved_alias_codes) AND json_type(moved_alias_codes) = 'array'),
     merged_by INTEGER REFERENCES staff(id),
     merged_at TEXT NOT NULL,
     note TEXT,
     undone_at TEXT,
     undone_by INTEGER REFERENCES staff(id),
     updated_at TEXT NOT NULL,
     CHECK (kept_id <> merged_id)
   ) STRICT`,
  `CREATE INDEX participant_merges_by_kept ON participant_merges(kept_id)`,
  `CREATE INDEX participant_merges_by_merged ON participant_merges(merged_id)`,
  `CREATE TABLE participant_aliases (
     code TEXT PRIMARY KEY,
     participant_id INTEGER NOT NULL REFERENCES participants(id),
     merge_id INTEGER NOT NULL REFERENCES participant_merges(id),
     created_at TEXT NOT NULL
   ) STRICT, WITHOUT ROWID`,
  `CREATE INDEX participant_aliases_by_participant ON participant_aliases(participant_id)`,

  // ----- every edit, void and sign-out of a visit, with its reason and the before/after
  `CREATE TABLE visit_changes (
     id INTEGER PRIMARY KEY,
     visit_id INTEGER NOT NULL REFERENCES visits(id),
     kind TEXT NOT NULL CHECK (kind IN ('edit','void','sign_out','sign_out_all')),
     reason TEXT,
     before TEXT NOT NULL CHECK (json_valid(before)),
     after TEXT NOT NULL CHECK (json_valid(after)),
     staff_id INTEGER REFERENCES staff(id),
     at TEXT NOT NULL,
     CHECK (kind NOT IN ('edit','void') OR length(trim(coalesce(reason, ''))) > 0)
   ) STRICT`,
  `CREATE INDEX visit_changes_by_visit ON visit_changes(visit_id)`,
  `CREATE TRIGGER visit_changes_no_update BEFORE UPDATE ON visit_changes
     BEGIN SELECT RAISE(ABORT, 'visit_changes is append-only'); END`,
  `CREATE TRIGGER visit_changes_no_delete BEFORE DELETE ON visit_changes
     BEGIN SELECT RAISE(ABORT, 'visit_changes is append-only'); END`,

  // ----- indexes, all partial over the people who show: a query that says
  // "merged_into IS NULL AND deleted_at IS NULL" reads them without fetching a row to check it.
  // The participant list's sorts, each with last_visit_at second: ties break by last visit (then
  // rowid), and the "visited since" / "never visited" filters are read from the index entry.
  `CREATE INDEX participants_list_name ON participants(name_key, last_visit_at) WHERE ${ACTIVE}`,
  `CREATE INDEX participants_list_last_visit ON participants(last_visit_at) WHERE ${ACTIVE}`,
  `CREATE INDEX participants_list_created ON participants(created_at, last_visit_at) WHERE ${ACTIVE}`,
  `CREATE INDEX participants_list_visits ON participants(visit_count, last_visit_at) WHERE ${ACTIVE}`,
  `CREATE INDEX participants_list_birth_year ON participants(birth_year, last_visit_at) WHERE ${ACTIVE}`,
  // Duplicate checks, the kiosk and the list's name filter: covering, so a look-up touching a
  // few thousand people (everyone born in 1983, every first name starting with M) stays in the index.
  `CREATE INDEX participants_match_year ON participants(birth_year, first_key, nick_key, last_key, birth_date) WHERE ${ACTIVE}`,
  `CREATE INDEX participants_match_first ON participants(first_key, birth_year, last_key) WHERE ${ACTIVE}`,
  `CREATE INDEX participants_match_nick ON participants(nick_key, birth_year, last_key) WHERE ${ACTIVE}`,
  `CREATE INDEX participants_match_last ON participants(last_key) WHERE ${ACTIVE}`,
  `CREATE INDEX participants_match_phone ON participants(phone_digits) WHERE ${ACTIVE}`,
  // The people who do not show, so "how many people" never reads every row.
  `CREATE INDEX participants_merged ON participants(merged_into) WHERE merged_into IS NOT NULL`,
  `CREATE INDEX participants_deleted ON participants(deleted_at, merged_into) WHERE deleted_at IS NOT NULL`,
  // Who is still here today; and "the same anonymous code again".
  `CREATE INDEX visits_open_by_date ON visits(visit_date) WHERE signed_out_at IS NULL AND voided_at IS NULL`,
  // voided_at is a column, not part of the WHERE, so "codes and their counts" reads only this index.
  `CREATE INDEX visits_by_anonymous_code ON visits(anonymous_code, voided_at, signed_in_at) WHERE anonymous_code IS NOT NULL`,
]

/** visit_count follows every insert, void/unvoid, move between people and delete of a visit. */
const triggers = [
  `CREATE TRIGGER visits_count_insert AFTER INSERT ON visits
     WHEN NEW.participant_id IS NOT NULL AND NEW.voided_at IS NULL
     BEGIN UPDATE participants SET visit_count = visit_count + 1 WHERE id = NEW.participant_id; END`,
  `CREATE TRIGGER visits_count_update AFTER UPDATE OF participant_id, voided_at ON visits
     WHEN OLD.participant_id IS NOT NEW.participant_id OR (OLD.voided_at IS NULL) <> (NEW.voided_at IS NULL)
     BEGIN
       UPDATE participants SET visit_count = visit_count - 1 WHERE id = OLD.participant_id AND OLD.voided_at IS NULL;
       UPDATE participants SET visit_count = visit_count + 1 WHERE id = NEW.participant_id AND NEW.voided_at IS NULL;
     END`,
  `CREATE TRIGGER visits_count_delete AFTER DELETE ON visits
     WHEN OLD.participant_id IS NOT NULL AND OLD.voided_at IS NULL
     BEGIN UPDATE participants SET visit_count = visit_count - 1 WHERE id = OLD.participant_id; END`,
]

/** This migration's own copy of the name normalization of its day (migrations never import app code). */
function normalize(text: string | null): string | null {
  if (!text) return null
  const key = text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim()
  return key || null
}

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)

  const people = await sql<{ id: number; first_name: string | null; nickname: string | null; last_name: string | null }>`
    SELECT id, first_name, nickname, last_name FROM participants`.execute(db)
  for (const p of people.rows) {
    await sql`UPDATE participants SET first_key = ${normalize(p.first_name)}, nick_key = ${normalize(p.nickname)},
              last_key = ${normalize(p.last_name)} WHERE id = ${p.id}`.execute(db)
  }
  await sql`UPDATE participants SET visit_count =
              (SELECT count(*) FROM visits WHERE visits.participant_id = participants.id AND visits.voided_at IS NULL)`.execute(db)

  for (const trigger of triggers) await sql.raw(trigger).execute(db)
}
