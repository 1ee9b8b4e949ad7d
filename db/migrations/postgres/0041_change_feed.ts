import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * Every PC of the center LISTENs on `porchlight_changes`; these triggers NOTIFY it from inside the
 * writing transaction, so a change is heard only once it commits (and never when it rolls back).
 * The payload is a topic and, for attendance, the group session's id: no one's details. One NOTIFY
 * per statement where the topic alone is enough (a 5,000-row import sends one); attendance names
 * each session, and PostgreSQL folds identical payloads of one transaction into one.
 * PostgreSQL only: SQLite has one writer that tells its own windows (0041 there is empty).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION porchlight_feed_topic() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('porchlight_changes', json_build_object('topic', TG_ARGV[0])::text);
      RETURN NULL;
    END $$`.execute(db)
  await sql`
    CREATE FUNCTION porchlight_feed_attendance() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'INSERT' THEN
        PERFORM pg_notify('porchlight_changes', json_build_object('topic', 'attendance', 'sessionId', OLD.session_id)::text);
      END IF;
      IF TG_OP <> 'DELETE' THEN
        PERFORM pg_notify('porchlight_changes', json_build_object('topic', 'attendance', 'sessionId', NEW.session_id)::text);
      END IF;
      RETURN NULL;
    END $$`.execute(db)
  for (const table of ['visits', 'participants', 'referrals']) {
    await sql
      .raw(
        `CREATE TRIGGER porchlight_feed_${table} AFTER INSERT OR UPDATE OR DELETE ON ${table}
           FOR EACH STATEMENT EXECUTE FUNCTION porchlight_feed_topic('${table}')`,
      )
      .execute(db)
  }
  await sql`
    CREATE TRIGGER porchlight_feed_attendance AFTER INSERT OR UPDATE OR DELETE ON attendance
      FOR EACH ROW EXECUTE FUNCTION porchlight_feed_attendance()`.execute(db)
}
