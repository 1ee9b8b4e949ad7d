import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

const DATE = (column: string) => `${column} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'`

/**
 * The last two organization-wide uniques become each center's (issue 15):
 * - a closed day: two centers may close on the same day (closures.closed_on was UNIQUE);
 * - an imported file: two centers may import the same file (import_files had UNIQUE (kind, sha256)),
 *   and so a row's identity is the center's too (import_rows gains center_id, its key
 *   (center_id, kind, row_key)): otherwise center B's import of A's file would find every row
 *   "already imported".
 * The new rules are named unique indexes, so a later change needs no rebuild.
 *
 * SQLite cannot drop a column's UNIQUE or a table constraint, so the three tables are rebuilt
 * (create, copy, drop, rename, indexes and triggers again), inside the upgrade's one transaction.
 * Foreign keys: closures is group_sessions' parent, import_files is visits', participants' and
 * import_rows'. With foreign keys on, DROP TABLE of a parent deletes its rows first and fails
 * on the children, deferred or not; the pragma cannot change inside a transaction, so migrate()
 * (db/open.ts) runs the upgrade with foreign keys off, as SQLite's own procedure asks, and this
 * step checks afterwards that every child still finds its parent (ids are copied as they were).
 * The rename runs with legacy_alter_table on: the triggers on visits name import_files in their
 * bodies, and a modern rename re-checks every trigger and refuses while import_files is gone.
 * The center columns now reference centers on SQLite too, as they do on PostgreSQL.
 *
 * Two settings follow the centers: the HSDS directory's import state is each center's
 * (directory.hsds becomes directory.hsds.1), and a center's name has one home, its centers row
 * (with its row version): the settings' copy of center 1's (center_name) goes. Settings → Center
 * wrote only that copy until now; where the two differ it is the later word (renaming on the
 * Centers screen wrote both), so the row takes it first.
 */
interface Rebuild {
  table: string
  create: string
  /** The columns copied, in the new table's order; `from` what each is read as (default: itself). */
  columns: string[]
  from?: Record<string, string>
}

const CENTER = `center_id INTEGER NOT NULL DEFAULT 1 CHECK (center_id > 0) REFERENCES centers(id)`

export const rebuilds: Rebuild[] = [
  {
    table: 'closures',
    create: `CREATE TABLE closures_new (
     id INTEGER PRIMARY KEY,
     closed_on TEXT NOT NULL CHECK (${DATE('closed_on')}),
     reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 200),
     created_by INTEGER REFERENCES staff(id),
     created_at TEXT NOT NULL,
     ${CENTER}
   )`,
    columns: ['id', 'closed_on', 'reason', 'created_by', 'created_at', 'center_id'],
  },
  {
    table: 'import_files',
    create: `CREATE TABLE import_files_new (
     id INTEGER PRIMARY KEY,
     kind TEXT NOT NULL CHECK (kind IN ('participants', 'visits')),
     sha256 TEXT NOT NULL,
     file_name TEXT NOT NULL,
     rows INTEGER NOT NULL,
     counts TEXT NOT NULL,
     staff_id INTEGER REFERENCES staff(id),
     imported_at TEXT NOT NULL,
     pending INTEGER NOT NULL DEFAULT 0 CHECK (pending IN (0, 1)),
     ${CENTER}
   )`,
    columns: ['id', 'kind', 'sha256', 'file_name', 'rows', 'counts', 'staff_id', 'imported_at', 'pending', 'center_id'],
  },
  {
    table: 'import_rows',
    create: `CREATE TABLE import_rows_new (
     kind TEXT NOT NULL CHECK (kind IN ('participants', 'visits')),
     row_key TEXT NOT NULL,
     file_id INTEGER NOT NULL REFERENCES import_files(id),
     target_id INTEGER NOT NULL,
     ${CENTER},
     PRIMARY KEY (center_id, kind, row_key)
   ) WITHOUT ROWID`,
    columns: ['kind', 'row_key', 'file_id', 'target_id', 'center_id'],
    // A row is its file's center's.
    from: { center_id: `coalesce((SELECT f.center_id FROM import_files f WHERE f.id = import_rows.file_id), 1)` },
  },
]

/** The same words on both backends: the rules by center, as named unique indexes. */
export const centerUniqueIndexes = [
  `CREATE UNIQUE INDEX closures_center_day ON closures(center_id, closed_on)`,
  `CREATE UNIQUE INDEX import_files_center_file ON import_files(center_id, kind, sha256)`,
]

/** Children that must still find their parent after the rebuild: none may name a missing one. */
const ORPHANS = [
  `SELECT 'group_sessions' AS child FROM group_sessions s WHERE s.closure_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM closures c WHERE c.id = s.closure_id)`,
  `SELECT 'visits' AS child FROM visits v WHERE v.import_file_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM import_files f WHERE f.id = v.import_file_id)`,
  `SELECT 'participants' AS child FROM participants p WHERE p.import_file_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM import_files f WHERE f.id = p.import_file_id)`,
]

async function rebuild(db: Kysely<unknown>, step: Rebuild): Promise<void> {
  // Indexes and triggers on the table (other than the constraint's own), made again after the rename.
  const kept = (await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE tbl_name = ${step.table} AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name`.execute(db)).rows
  const before = Number((await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(step.table)}`.execute(db)).rows[0]!.n)
  await sql.raw(step.create).execute(db)
  const list = step.columns.join(', ')
  const read = step.columns.map((column) => step.from?.[column] ?? column).join(', ')
  await sql.raw(`INSERT INTO ${step.table}_new (${list}) SELECT ${read} FROM ${step.table}`).execute(db)
  const after = Number((await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(`${step.table}_new`)}`.execute(db)).rows[0]!.n)
  if (after !== before) throw new Error(`0061: ${step.table} had ${before} rows, its copy ${after}`)
  await sql.raw(`DROP TABLE ${step.table}`).execute(db)
  await sql`PRAGMA legacy_alter_table = ON`.execute(db)
  try {
    await sql.raw(`ALTER TABLE ${step.table}_new RENAME TO ${step.table}`).execute(db)
  } finally {
    await sql`PRAGMA legacy_alter_table = OFF`.execute(db)
  }
  for (const { sql: text } of kept) await sql.raw(text).execute(db)
}

export async function up(db: Kysely<unknown>): Promise<void> {
  const fk = (await sql<{ foreign_keys: number }>`PRAGMA foreign_keys`.execute(db)).rows[0]
  if (fk?.foreign_keys !== 0) throw new Error('0061 rebuilds parent tables and must run with foreign keys off (db/open.ts migrate)')
  for (const step of rebuilds) await rebuild(db, step)
  for (const statement of centerUniqueIndexes) await sql.raw(statement).execute(db)
  for (const table of rebuilds.map((step) => step.table)) {
    const broken = (await sql`SELECT * FROM pragma_foreign_key_check(${table}) LIMIT 1`.execute(db)).rows
    if (broken.length > 0) throw new Error(`0061: ${table} names a row that does not exist: ${JSON.stringify(broken[0])}`)
  }
  for (const query of ORPHANS) {
    const orphan = (await sql<{ child: string }>`${sql.raw(query)} LIMIT 1`.execute(db)).rows[0]
    if (orphan) throw new Error(`0061: ${orphan.child} names an import file or closure that is gone`)
  }
  await sql`UPDATE settings SET key = 'directory.hsds.1' WHERE key = 'directory.hsds'`.execute(db)
  // The settings' copy of center 1's name, trimmed as the Centers screen saves names.
  const named = `(SELECT trim(json_extract(value, '$')) FROM settings WHERE key = 'center_name')`
  await sql.raw(`
    UPDATE centers SET name = ${named}, row_version = row_version + 1
     WHERE id = 1 AND length(${named}) BETWEEN 1 AND 100 AND name <> ${named}
       AND NOT EXISTS (SELECT 1 FROM centers other WHERE other.id <> 1 AND other.name = ${named})`).execute(db)
  await sql`DELETE FROM settings WHERE key = 'center_name'`.execute(db)
}
