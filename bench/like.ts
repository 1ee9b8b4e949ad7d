import type { Statement } from 'better-sqlite3-multiple-ciphers'
import type { Sqlite } from '../db/open'
import type { Participant } from '../db/schema'
import { searchWords } from '../db/services/search'

/**
 * The baseline the index replaces: `LIKE '%word%'` over the same fields (names, code, alias
 * codes, phone digits, birth year), every word required, most recently seen first. SQLite can
 * use no index for a pattern that starts with %, so it walks people in last-visit order and
 * tests each one until it has `limit` matches (or has read everyone).
 */
export function likeSearch(sqlite: Sqlite): (text: string, limit: number) => Participant[] {
  const statements = new Map<number, Statement<unknown[], Participant>>()
  const field = `(p.name_key LIKE ? ESCAPE '\\' OR p.code LIKE ? ESCAPE '\\' OR p.phone_digits LIKE ? ESCAPE '\\'
    OR CAST(p.birth_year AS TEXT) LIKE ? ESCAPE '\\'
    OR EXISTS (SELECT 1 FROM participant_aliases a WHERE a.participant_id = p.id AND a.code LIKE ? ESCAPE '\\'))`
  const statement = (words: number) => {
    let prepared = statements.get(words)
    if (!prepared) {
      prepared = sqlite.prepare<unknown[], Participant>(`SELECT p.* FROM participants p
        WHERE p.merged_into IS NULL AND p.deleted_at IS NULL AND ${Array.from({ length: words }, () => field).join(' AND ')}
        ORDER BY p.last_visit_at DESC, p.id DESC LIMIT ?`)
      statements.set(words, prepared)
    }
    return prepared
  }
  return (text, limit) => {
    const words = searchWords(text)
    if (words.length === 0) return []
    const patterns = words.flatMap((word) => Array<string>(5).fill(`%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`))
    return statement(words.length).all(...patterns, limit)
  }
}
