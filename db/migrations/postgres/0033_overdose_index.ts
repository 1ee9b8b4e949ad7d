// Frozen in time: this file must never import application code or today's schema types.

/**
 * PostgreSQL's twin of SQLite's 0033_overdose_index: the same index on incidents (kind, day,
 * doses, outcome) so that the safety figures' overdose count reads the index alone. The statement
 * is the same words in both dialects, so the twin runs SQLite's migration (itself frozen).
 */
export { up } from '../0033_overdose_index'
