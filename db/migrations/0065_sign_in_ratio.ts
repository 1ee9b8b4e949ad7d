import { sql, type Kysely } from 'kysely'
import { key, live, phone } from './0003_search'

// Frozen in time: this file must never import application code or today's schema types (0003's
// SQL text is itself frozen, so reusing it here is the same as copying it).

/**
 * Fewer pages written by a sign-in (issue 11: a sign-in's encrypted/plain ratio; the cipher's work
 * is per page written). Counted with bench/mark-pages.ts WRITE=sign-in.
 *
 * - visits_open_by_person (0009) answered "already here today?". visits_by_participant answers it
 *   as well once the lookup bounds signed_in_at from below (a visit of a day is signed in within
 *   that day, in any time zone no earlier than the UTC day before): the person's last two days of
 *   visits, newest first. Every sign-in wrote an entry in it (about 1.3 pages).
 * - The search index (0003) drops its per-row sizes (columnsize=0: the search sorts by rowid and
 *   never ranks) and contentless_delete. A sign-in moves the person's row (its rowid carries the
 *   last visit): contentless_delete removed the old row by writing the rowid into a tombstone
 *   block of the segment that held it, found through the sizes table (its `origin`), so a move
 *   wrote the sizes table twice and a tombstone block besides (about 2.3 pages). FTS5's 'delete'
 *   command instead takes the old row's values and writes its deletion into the same new segment
 *   as the insert. The triggers therefore give the values the row was indexed with: the OLD
 *   participant's, and the aliases as they were before the alias change (detail=column keeps
 *   which columns hold a word, not where, so the aliases' order does not matter). The index is
 *   built again from participants, in 3,900-byte blocks (0062) and optimized into one segment.
 */

/** The person's code and aliases: those whose alias code is not `except`, plus `extra` (an alias just changed). */
const codes = (p: string, except = '', extra = '') =>
  `${p}.code${extra && ` || ' ' || ${extra}`} || coalesce(' ' || (SELECT group_concat(a.code, ' ') FROM participant_aliases a WHERE a.participant_id = ${p}.id${except && ` AND a.code <> ${except}`}), '')`

/** Adds the row for participant `id` if that person is findable (and `when` holds), as 0003's participant_search_insert does (kept). */
const insertRow = (id: string, when = '') => `INSERT INTO participant_search (rowid, name, code, phone, birth)
     SELECT ${key('p')}, p.name_key, ${codes('p')}, ${phone('p')}, p.birth_year
     FROM participants p WHERE p.id = ${id}${when && ` AND ${when}`} AND ${live('p')};`

/** Removes the row of participant row `p` (OLD, or `p` of `from`), with the values it was indexed with. */
const deleteRow = (p: string, codeList: string, from = '') => `INSERT INTO participant_search (participant_search, rowid, name, code, phone, birth)
     SELECT 'delete', ${key(p)}, ${p}.name_key, ${codeList}, ${phone(p)}, ${p}.birth_year
     ${from ? `${from} AND` : 'WHERE'} ${live(p)};`

/** Removes participant `id`'s current row (if `when` holds), indexed when their aliases were those but `except`, plus `extra`. */
const deleteAliased = (id: string, except: string, extra: string, when = '') =>
  deleteRow('p', codes('p', except, extra), `FROM participants p WHERE p.id = ${id}${when && ` AND ${when}`}`)

export const searchStatements = [
  `DROP TRIGGER participant_search_update`,
  `DROP TRIGGER participant_search_delete`,
  `DROP TRIGGER participant_search_alias_insert`,
  `DROP TRIGGER participant_search_alias_delete`,
  `DROP TRIGGER participant_search_alias_update`,
  `DROP TABLE participant_search_terms`,
  `DROP TABLE participant_search`,
  `CREATE VIRTUAL TABLE participant_search USING fts5(
     name, code, phone, birth,
     tokenize = 'unicode61 remove_diacritics 2',
     prefix = '1 2 3',
     detail = column,
     content = '',
     columnsize = 0
   )`,
  `INSERT INTO participant_search (participant_search, rank) VALUES ('pgsz', 3900)`,
  `INSERT INTO participant_search (rowid, name, code, phone, birth)
     SELECT ${key('p')}, p.name_key, ${codes('p')}, ${phone('p')}, p.birth_year FROM participants p WHERE ${live('p')} ORDER BY 1`,
  `INSERT INTO participant_search (participant_search) VALUES ('optimize')`,
  `CREATE VIRTUAL TABLE participant_search_terms USING fts5vocab(participant_search, 'col')`,

  // Only the columns the index holds; visit_count and the optional fields do not move the row.
  // The aliases are unchanged by an update of participants: the current ones are those indexed.
  `CREATE TRIGGER participant_search_update
   AFTER UPDATE OF name_key, code, phone_digits, birth_year, last_visit_at, merged_into, deleted_at ON participants
   WHEN OLD.name_key IS NOT NEW.name_key OR OLD.code IS NOT NEW.code OR OLD.phone_digits IS NOT NEW.phone_digits
     OR OLD.birth_year IS NOT NEW.birth_year OR OLD.last_visit_at IS NOT NEW.last_visit_at
     OR OLD.merged_into IS NOT NEW.merged_into OR OLD.deleted_at IS NOT NEW.deleted_at
   BEGIN
     ${deleteRow('OLD', codes('OLD'))}
     ${insertRow('NEW.id')}
     UPDATE participant_search_state SET names_version = names_version + 1
       WHERE id = 1 AND (OLD.name_key IS NOT NEW.name_key
         OR (OLD.merged_into IS NULL AND OLD.deleted_at IS NULL) IS NOT (NEW.merged_into IS NULL AND NEW.deleted_at IS NULL));
   END`,
  `CREATE TRIGGER participant_search_delete AFTER DELETE ON participants
   BEGIN
     ${deleteRow('OLD', codes('OLD'))}
   END`,

  // A merge points the merged record's code (and its own aliases) at the kept person; undo removes them.
  `CREATE TRIGGER participant_search_alias_insert AFTER INSERT ON participant_aliases
   BEGIN
     ${deleteAliased('NEW.participant_id', 'NEW.code', '')}
     ${insertRow('NEW.participant_id')}
   END`,
  `CREATE TRIGGER participant_search_alias_delete AFTER DELETE ON participant_aliases
   BEGIN
     ${deleteAliased('OLD.participant_id', '', 'OLD.code')}
     ${insertRow('OLD.participant_id')}
   END`,
  // The old owner had the alias as OLD; the new owner did not have it (one person when both are the same).
  `CREATE TRIGGER participant_search_alias_update AFTER UPDATE OF code, participant_id ON participant_aliases
   BEGIN
     ${deleteAliased('OLD.participant_id', 'NEW.code', 'OLD.code')}
     ${insertRow('OLD.participant_id')}
     ${deleteAliased('NEW.participant_id', 'NEW.code', '', 'NEW.participant_id IS NOT OLD.participant_id')}
     ${insertRow('NEW.participant_id', 'NEW.participant_id IS NOT OLD.participant_id')}
   END`,
]

export const visitIndexes = [`DROP INDEX visits_open_by_person`]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [...visitIndexes, ...searchStatements]) await sql.raw(statement).execute(db)
}
