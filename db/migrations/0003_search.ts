import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * Search as you type: one FTS5 row per findable participant (not merged, not deleted), kept in
 * step by triggers, so no application code can forget to update it.
 *
 * The rowid is the sort order. It is `(unix seconds of last_visit_at) << 24 | id`, so
 * `ORDER BY rowid DESC LIMIT n` walks the matches from the most recently seen person down and
 * stops after n, however many people match a one-letter prefix. Never-seen people sort last,
 * newest first. A sign-in changes last_visit_at and so moves the row (delete + insert).
 *
 * Columns (tokenized by unicode61, accents folded, lower-cased):
 *   name   the normalized names (name_key: first, nickname, last)
 *   code   the participant's code and the codes of records merged into them (aliases)
 *   phone  the digits of the phone number, its last seven and its last four
 *   birth  the birth year
 * prefix='1 2 3' keeps one- to three-character prefix lists ready, so the first keystrokes
 * read one list instead of merging every term that starts with them. detail=column is enough
 * (column filters, no phrase or NEAR queries) and smaller. contentless_delete: the index keeps
 * no copy of the text, and rows can still be deleted by rowid.
 */
export const ID_BITS = 24

export const key = (p: string) => `((coalesce(unixepoch(${p}.last_visit_at), 0) << ${ID_BITS}) | ${p}.id)`
export const live = (p: string) => `${p}.merged_into IS NULL AND ${p}.deleted_at IS NULL`
export const phone = (p: string) =>
  `CASE WHEN length(${p}.phone_digits) >= 4
     THEN ${p}.phone_digits || ' ' || substr(${p}.phone_digits, -7) || ' ' || substr(${p}.phone_digits, -4) END`
const codes = (p: string) =>
  `${p}.code || coalesce(' ' || (SELECT group_concat(a.code, ' ') FROM participant_aliases a WHERE a.participant_id = ${p}.id), '')`

/** Adds the row for participant `id` if that person is findable. */
const insertRow = (id: string) => `INSERT INTO participant_search (rowid, name, code, phone, birth)
     SELECT ${key('p')}, p.name_key, ${codes('p')}, ${phone('p')}, p.birth_year
     FROM participants p WHERE p.id = ${id} AND ${live('p')};`

/** Removes participant `id`'s row, wherever their last visit put it (a missing rowid is a no-op). */
const deleteCurrentRow = (id: string) =>
  `DELETE FROM participant_search WHERE rowid = (SELECT ${key('p')} FROM participants p WHERE p.id = ${id});`

const statements = [
  `CREATE VIRTUAL TABLE participant_search USING fts5(
     name, code, phone, birth,
     tokenize = 'unicode61 remove_diacritics 2',
     prefix = '1 2 3',
     detail = column,
     content = '',
     contentless_delete = 1
   )`,
  // The distinct words of each column, for the typo-tolerant pass.
  `CREATE VIRTUAL TABLE participant_search_terms USING fts5vocab(participant_search, 'col')`,
  // names_version changes when a name in the index changes or someone becomes findable again (undo
  // of a merge): the search service then drops its cached word list. New people need no bump:
  // the service also watches max(participants.id).
  `CREATE TABLE participant_search_state (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     names_version INTEGER NOT NULL
   ) STRICT`,
  `INSERT INTO participant_search_state (id, names_version) VALUES (1, 0)`,

  `CREATE TRIGGER participant_search_insert AFTER INSERT ON participants
   BEGIN
     SELECT RAISE(ABORT, 'participant id too large for the search index') WHERE NEW.id >= ${2 ** ID_BITS};
     ${insertRow('NEW.id')}
   END`,
  // Only the columns the index holds; visit_count and the optional fields do not move the row.
  `CREATE TRIGGER participant_search_update
   AFTER UPDATE OF name_key, code, phone_digits, birth_year, last_visit_at, merged_into, deleted_at ON participants
   WHEN OLD.name_key IS NOT NEW.name_key OR OLD.code IS NOT NEW.code OR OLD.phone_digits IS NOT NEW.phone_digits
     OR OLD.birth_year IS NOT NEW.birth_year OR OLD.last_visit_at IS NOT NEW.last_visit_at
     OR OLD.merged_into IS NOT NEW.merged_into OR OLD.deleted_at IS NOT NEW.deleted_at
   BEGIN
     DELETE FROM participant_search WHERE rowid = ${key('OLD')};
     ${insertRow('NEW.id')}
     UPDATE participant_search_state SET names_version = names_version + 1
       WHERE id = 1 AND (OLD.name_key IS NOT NEW.name_key
         OR (OLD.merged_into IS NULL AND OLD.deleted_at IS NULL) IS NOT (NEW.merged_into IS NULL AND NEW.deleted_at IS NULL));
   END`,
  `CREATE TRIGGER participant_search_delete AFTER DELETE ON participants
   BEGIN
     DELETE FROM participant_search WHERE rowid = ${key('OLD')};
   END`,

  // A merge points the merged record's code (and its own aliases) at the kept person; undo removes them.
  `CREATE TRIGGER participant_search_alias_insert AFTER INSERT ON participant_aliases
   BEGIN
     ${deleteCurrentRow('NEW.participant_id')}
     ${insertRow('NEW.participant_id')}
   END`,
  `CREATE TRIGGER participant_search_alias_delete AFTER DELETE ON participant_aliases
   BEGIN
     ${deleteCurrentRow('OLD.participant_id')}
     ${insertRow('OLD.participant_id')}
   END`,
  `CREATE TRIGGER participant_search_alias_update AFTER UPDATE OF code, participant_id ON participant_aliases
   BEGIN
     ${deleteCurrentRow('OLD.participant_id')}
     ${insertRow('OLD.participant_id')}
     ${deleteCurrentRow('NEW.participant_id')}
     ${insertRow('NEW.participant_id')}
   END`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
  await sql
    .raw(
      `INSERT INTO participant_search (rowid, name, code, phone, birth)
       SELECT ${key('p')}, p.name_key, ${codes('p')}, ${phone('p')}, p.birth_year FROM participants p WHERE ${live('p')}`,
    )
    .execute(db)
}
