// pg-cursor ships no types; Porchlight only hands it to kysely's PostgresDialect as `cursor`, which
// streamed queries need (the audit chain's verification, exports), and kysely types it.
declare module 'pg-cursor' {
  import type { PostgresCursorConstructor } from 'kysely'

  const Cursor: PostgresCursorConstructor
  export default Cursor
}
