// Frozen in time: this file must never import application code or today's schema types.

/**
 * PostgreSQL's twin of SQLite's 0031_assessment_indexes: the same two indexes, widened so that
 * recovery capital's look-ups (each person's first and latest total, the people assessed in a
 * range) are answered from the index. The statements are the same words in both dialects, so the
 * twin runs SQLite's migration (itself frozen) rather than a copy of it.
 */
export { up } from '../0031_assessment_indexes'
