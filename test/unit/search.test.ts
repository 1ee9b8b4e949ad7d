import { CompiledQuery, sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import type { ServiceContext } from '../../db/services/context'
import { mergeParticipants, undoMerge } from '../../db/services/merges'
import { createParticipant, type NewParticipantInput } from '../../db/services/participants'
import { updateParticipant } from '../../db/services/profile'
import { FUZZY_BELOW, prefixDistance, prefixQuery, searchParticipants, searchWords, type SearchContext } from '../../db/services/search'
import { postgresSearchQuery, postgresWindowQuery } from '../../db/services/search-postgres'
import { ftsQuery, SEARCH_SQL } from '../../db/services/search-sqlite'
import { signIn } from '../../db/services/visits'
import { rng } from '../../db/seed'
import { describeEachBackend, useRecords, type TestBackend, type TestRecords } from './pg-helpers'

interface Desk {
  records: TestRecords
  /** On SQLite with the raw connection, as the IPC handler passes it: prepared statements. */
  ctx: SearchContext
  advance(minutes: number): void
  add(input: NewParticipantInput): Promise<number>
  /** Signs a person in now (which makes them the most recently seen), then moves the clock on. */
  visit(id: number): Promise<void>
  /** Names (first or nickname) found for a search, best first (on SQLite checked to be the same on both paths). */
  names(text: string, limit?: number): Promise<string[]>
  ids(text: string, limit?: number): Promise<number[]>
  setCode(id: number, code: string): Promise<void>
  codeOf(id: number): Promise<string>
  remove(id: number, at: string): Promise<void>
  liveIds(): Promise<number[]>
}

function desk(records: TestRecords): Desk {
  const { db } = records
  let at = Date.parse('2026-11-02T15:00:00.000Z')
  const now = () => new Date(at)
  const viaKysely: ServiceContext = { db, staffId: null, now, timeZone: 'UTC' }
  const ctx: SearchContext = { ...viaKysely, sqlite: records.sqlite }
  const found = async (text: string, limit?: number) => {
    const fast = await searchParticipants(ctx, text, limit)
    if (records.sqlite) {
      // Without the raw connection: the same compiled queries through kysely.
      const slow = await searchParticipants(viaKysely, text, limit)
      expect(slow, `kysely path for "${text}"`).toEqual(fast)
    }
    return fast
  }
  return {
    records,
    ctx,
    advance: (minutes) => {
      at += minutes * 60_000
    },
    add: async (input) => (await createParticipant(ctx, input)).id,
    visit: async (id) => {
      await signIn(ctx, { participantId: id, services: [], allowRepeat: true })
      at += 60_000
    },
    names: async (text, limit) => (await found(text, limit)).map((p) => p.firstName ?? p.nickname ?? '?'),
    ids: async (text, limit) => (await found(text, limit)).map((p) => p.id),
    setCode: async (id, code) => {
      await db.updateTable('participants').set({ code }).where('id', '=', id).execute()
    },
    codeOf: async (id) => (await db.selectFrom('participants').select('code').where('id', '=', id).executeTakeFirstOrThrow()).code,
    remove: async (id, deletedAt) => {
      await db.updateTable('participants').set({ deleted_at: deletedAt }).where('id', '=', id).execute()
    },
    liveIds: async () =>
      (await db.selectFrom('participants').select('id').where('merged_into', 'is', null).where('deleted_at', 'is', null).orderBy('id').execute()).map(
        (row) => row.id,
      ),
  }
}

describeEachBackend('search', (backend: TestBackend) => {
  const records = useRecords(backend)
  const newDesk = () => Promise.resolve(desk(records()))

  describe('what a search matches', () => {
    it('matches names by prefix from the first keystroke, accents folded either way', async () => {
      const d = await newDesk()
      const marisol = await d.add({ firstName: 'Marisol', lastName: 'Rodríguez' })
      const jose = await d.add({ firstName: 'José', nickname: 'Pepe', lastName: 'Nuñez' })
      const zoe = await d.add({ firstName: 'Zoe', lastName: 'Quinn' })
      for (const typed of ['m', 'ma', 'mar', 'mari', 'maris', 'mariso', 'marisol', 'MARISOL', 'r', 'rodr', 'rodriguez', 'Rodríguez']) {
        expect(await d.ids(typed), typed).toEqual([marisol])
      }
      for (const typed of ['jose', 'José', 'JOSE', 'pep', 'nunez', 'Nuñ']) expect(await d.ids(typed), typed).toEqual([jose])
      expect(await d.ids('zoë')).toEqual([zoe])
    })

    it('keeps letters of any script inside a word and breaks words at any punctuation, as the index does', async () => {
      const d = await newDesk()
      const soren = await d.add({ firstName: 'Søren', lastName: 'O’Brien-Łukasz' })
      const olga = await d.add({ firstName: 'Ольга' })
      for (const typed of ['søren', 'SØ', 'brien', 'o', 'łukasz', 'Łuk', 'o’brien']) expect(await d.ids(typed), typed).toEqual([soren])
      // "ren" and "ukasz" are inside words: ø and ł are letters, not breaks ("soren" is one typo away, not the same word).
      for (const typed of ['ren', 'ukasz']) expect(await d.ids(typed), typed).toEqual([])
      expect(await d.ids('ольга')).toEqual([olga])
      expect(await d.ids('льга')).toEqual([])
    })

    it('needs every word typed to match something, in any order', async () => {
      const d = await newDesk()
      const marisol = await d.add({ firstName: 'Marisol', lastName: 'Rodríguez', birthYear: 1984 })
      await d.add({ firstName: 'Mario', lastName: 'Smith' })
      expect(await d.ids('mar rod')).toEqual([marisol])
      expect(await d.ids('rod mar')).toEqual([marisol])
      expect(await d.ids('marisol 1984')).toEqual([marisol])
      expect(await d.ids('marisol 1985')).toEqual([])
      expect(await d.ids('mario nunez')).toEqual([])
    })

    it('finds a phone number whole, as typed, or by its last seven or last four digits', async () => {
      const d = await newDesk()
      const ana = await d.add({ firstName: 'Ana', phone: '(312) 555-0147' })
      await d.add({ firstName: 'Bea', phone: '(773) 555-9876' })
      for (const typed of ['3125550147', '(312) 555-0147', '312-555-0147', '5550147', '555-0147', '0147']) {
        expect(await d.ids(typed), typed).toEqual([ana])
      }
      expect(await d.ids('0148')).toEqual([])
    })

    it('finds a birth year', async () => {
      const d = await newDesk()
      const ana = await d.add({ firstName: 'Ana', birthYear: 1984 })
      await d.add({ firstName: 'Bea', birthYear: 1990 })
      expect(await d.ids('1984')).toEqual([ana])
    })

    it('finds a participant code exactly and by prefix from three characters, in any case', async () => {
      const d = await newDesk()
      const ana = await d.add({ firstName: 'Ana' })
      const bea = await d.add({ firstName: 'Bea' })
      await d.setCode(ana, 'K7WTPX')
      await d.setCode(bea, 'WTPXKM')
      // A letter and a digit together can only be a code, from two characters.
      for (const typed of ['K7WTPX', 'k7wtpx', 'k7w', 'K7WT', 'k7']) expect(await d.ids(typed), typed).toEqual([ana])
      for (const typed of ['WTPXKM', 'wtp', 'wtpxk']) expect(await d.ids(typed), typed).toEqual([bea])
      // One or two letters are a name being typed, not a code.
      expect(await d.ids('wt')).toEqual([])
      expect(await d.ids('k7wtpz')).toEqual([])
    })

    it('forgives a typing mistake in a name: a letter missing, extra, wrong or swapped', async () => {
      const d = await newDesk()
      const marisol = await d.add({ firstName: 'Marisol', lastName: 'Rodríguez' })
      const john = await d.add({ firstName: 'John', lastName: 'Smith' })
      const obrien = await d.add({ firstName: 'Sean', lastName: "O'Brien" })
      for (const typed of ['Marisl', 'Maisol', 'Marsiol', 'Mariaol', 'Marrisol', 'Rodriguex', 'Rodrigeuz']) {
        expect(await d.ids(typed), typed).toEqual([marisol])
      }
      for (const typed of ['Jhon', 'Jonh', 'jhon smi', 'john smtih', 'Smiht']) expect(await d.ids(typed), typed).toEqual([john])
      expect(await d.ids("O'Brian")).toEqual([obrien])
      expect(await d.ids('obrien')).toEqual([obrien])
      // Short words are too ambiguous to guess at; far-off words are not guessed either.
      expect(await d.ids('jhn')).toEqual([])
      expect(await d.ids('Mxrxsol')).toEqual([])
    })

    it('tries every guess at a typed word at once, in any script, and each only at a word start', async () => {
      const d = await newDesk()
      const soren = await d.add({ firstName: 'Søren', lastName: 'Ek' })
      const sorena = await d.add({ firstName: 'Sørena', lastName: 'Li' })
      const marisol = await d.add({ firstName: 'Marisol' })
      const marisel = await d.add({ firstName: 'Marisel' })
      // Each holds a guess, but not at a word start.
      await d.add({ firstName: 'Jensøren' })
      await d.add({ firstName: 'Omarisol' })
      // The whole word one mistake away first, then the prefix one away; equals, newest first.
      expect(await d.ids('Sørne')).toEqual([soren, sorena])
      expect(await d.ids('Marisql')).toEqual([marisel, marisol])
      expect(await d.ids('Sørne marisq')).toEqual([])
    })

    it('honours the limit', async () => {
      const d = await newDesk()
      for (let i = 0; i < 30; i++) await d.add({ firstName: `Maria${String.fromCharCode(97 + (i % 26))}` })
      expect(await d.ids('mar', 5)).toHaveLength(5)
      expect(await d.ids('mar')).toHaveLength(20)
      expect(await d.ids('mar', 50)).toHaveLength(30)
    })
  })

  describe('ranking', () => {
    it('puts the people seen most recently first, then people never seen, newest first', async () => {
      const d = await newDesk()
      const [a, b, c, never1, never2] = [
        await d.add({ firstName: 'Maria', lastName: 'A' }),
        await d.add({ firstName: 'Maria', lastName: 'B' }),
        await d.add({ firstName: 'Maria', lastName: 'C' }),
        await d.add({ firstName: 'Maria', lastName: 'D' }),
        await d.add({ firstName: 'Maria', lastName: 'E' }),
      ]
      await d.visit(b)
      await d.visit(a)
      await d.visit(c)
      expect(await d.ids('m')).toEqual([c, a, b, never2, never1])
      d.advance(60 * 24)
      await d.visit(b)
      expect(await d.ids('maria')).toEqual([b, c, a, never2, never1])
      if (backend === 'postgres') {
        // A sign-in only moves the person's row to its new key (PostgreSQL 0063): the rows are what a rebuild makes.
        const rows = async () => (await sql`SELECT rowid::text AS key, participant_id, name, code, phone, birth FROM participant_search ORDER BY rowid`.execute(d.records.db)).rows
        const moved = await rows()
        await sql`SELECT participant_search_rebuild()`.execute(d.records.db)
        expect(await rows()).toEqual(moved)
      }
    })

    it('puts exact and prefix matches before guesses at a typo, however recent the guesses', async () => {
      const d = await newDesk()
      const john = await d.add({ firstName: 'John' })
      const jon = await d.add({ firstName: 'Jon' })
      const joan = await d.add({ firstName: 'Joan' })
      await d.visit(john)
      await d.visit(jon)
      await d.visit(joan)
      // "john" is one letter from Jon and from Joan, who came in later.
      const found = await d.ids('john')
      expect(found[0]).toBe(john)
      expect(found.slice(1).sort()).toEqual([jon, joan].sort())
      // Guesses come only when the prefix pass finds fewer than FUZZY_BELOW.
      for (let i = 0; i < FUZZY_BELOW; i++) await d.add({ firstName: 'John' })
      expect(await d.ids('john')).not.toContain(jon)
    })

    it('ranks guesses by how few mistakes they need, then by recency', async () => {
      const d = await newDesk()
      const marisela = await d.add({ firstName: 'Marisela' })
      const marisol = await d.add({ firstName: 'Marisol' })
      await d.visit(marisol)
      await d.visit(marisela)
      // "marisolx" is one letter from Marisol and two from Marisela (seen more recently).
      expect(await d.ids('marisolx')).toEqual([marisol, marisela])
    })

    it('puts the person whose code was typed first, ahead of more recent name matches', async () => {
      const d = await newDesk()
      const carded = await d.add({ firstName: 'Ana' })
      await d.setCode(carded, 'MARCUS')
      const marcus = await d.add({ nickname: 'Marcus' })
      await d.visit(carded)
      await d.visit(marcus)
      expect(await d.ids('marcus')).toEqual([carded, marcus])
      expect(await d.ids('marc')).toEqual([marcus, carded])
    })
  })

  describe('merged and deleted people', () => {
    it('finds the kept person by a merged record’s code, and never the merged record', async () => {
      const d = await newDesk()
      const kept = await d.add({ firstName: 'Rosalind', lastName: 'Okafor' })
      const dup = await d.add({ firstName: 'Rosalyn', lastName: 'Okafor' })
      const older = await d.add({ firstName: 'Roz', lastName: 'Okafor' })
      const [dupCode, olderCode] = [await d.codeOf(dup), await d.codeOf(older)]
      await d.visit(dup)

      const first = await mergeParticipants(d.ctx, dup, older)
      const second = await mergeParticipants(d.ctx, kept, dup)
      // Both merged records' codes now find the kept person; the merged records are gone.
      expect(await d.ids(dupCode)).toEqual([kept])
      expect(await d.ids(olderCode)).toEqual([kept])
      expect(await d.ids(dupCode.slice(0, 4))).toEqual([kept])
      expect(await d.ids('okafor')).toEqual([kept])
      for (const typed of ['rosalyn', 'roz', dupCode, olderCode, 'oka']) {
        const found = await d.ids(typed)
        expect(found, typed).not.toContain(dup)
        expect(found, typed).not.toContain(older)
      }
      // The kept person took over the merged visit, so is now "seen recently".
      expect((await searchParticipants(d.ctx, 'okafor'))[0]!.lastVisitAt).not.toBeNull()

      await undoMerge(d.ctx, second.id)
      expect(await d.ids(dupCode)).toEqual([dup])
      expect(await d.ids(olderCode)).toEqual([dup])
      expect((await d.ids('okafor')).sort()).toEqual([kept, dup].sort())
      await undoMerge(d.ctx, first.id)
      expect(await d.ids(olderCode)).toEqual([older])
      expect((await d.ids('okafor')).sort()).toEqual([kept, dup, older].sort())
    })

    it('never returns a deleted person', async () => {
      const d = await newDesk()
      const gone = await d.add({ firstName: 'Gwendolyn' })
      await d.remove(gone, '2026-11-02T16:00:00.000Z')
      expect(await d.ids('gwen')).toEqual([])
      expect(await d.ids('gwendolin')).toEqual([])
    })

    it('follows a change of name, phone or birth year', async () => {
      const d = await newDesk()
      const id = await d.add({ firstName: 'Xavier', phone: '555 123 4567', birthYear: 1970 })
      await updateParticipant(d.ctx, id, { firstName: 'Xiomara', phone: '555 765 4321', birthYear: 1971 })
      expect(await d.ids('xav')).toEqual([])
      expect(await d.ids('xio')).toEqual([id])
      expect(await d.ids('4567')).toEqual([])
      expect(await d.ids('4321')).toEqual([id])
      expect(await d.ids('1970')).toEqual([])
      expect(await d.ids('1971')).toEqual([id])
      // The typo pass's word list follows too (it is cached until a name changes).
      expect(await d.ids('xiomarra')).toEqual([id])
      const later = await d.add({ firstName: 'Zebulon' })
      expect(await d.ids('zebulom')).toEqual([later])
    })
  })

  describe('what is typed is only ever text', () => {
    const NASTY = [
      `'`, `"`, `""`, `"mar`, `mar"`, `*`, `mar*`, `%`, `mar%`, `_`, `\\`, `(`, `)`, `()`, `^mar`, `-mar`, `+mar`, `:`, `name:mar`,
      `{name}: mar`, `name : "mar"`, `NEAR`, `NEAR(mar rod)`, `NEAR/2`, `AND`, `OR`, `NOT`, `mar AND rod`, `mar OR xyz`,
      `mar NOT rod`, `';DROP TABLE participants;--`, `%' OR 1=1 --`, '\u0000', '🙂', 'ǅ', '\u0301', ' '.repeat(50), 'x'.repeat(100),
    ]

    it('never fails and never treats input as query syntax', async () => {
      const d = await newDesk()
      const marisol = await d.add({ firstName: 'Marisol', lastName: 'Rodríguez' })
      for (const typed of NASTY) await expect(d.ids(typed), typed).resolves.toBeDefined()
      // Wildcards and operators are not wildcards and operators.
      for (const typed of ['*', '%', '_', '"', '()', 'NEAR', 'AND', 'OR', 'NOT', '\\']) expect(await d.ids(typed), typed).toEqual([])
      expect(await d.ids('m_risol')).toEqual([])
      expect(await d.ids('mar OR xyz')).toEqual([])
      // Punctuation separates words, as in the index: these are still Marisol.
      for (const typed of ['mar*', 'mar%', '"mar"', '(marisol)', 'name:mar', '{name}: mar']) {
        expect(await d.ids(typed), typed).toEqual(typed.startsWith('name') || typed.startsWith('{') ? [] : [marisol])
      }
      expect(await d.liveIds()).toEqual([marisol])
    })

    it('finds people whose names are query words', async () => {
      const d = await newDesk()
      const and = await d.add({ nickname: 'And' })
      const near = await d.add({ firstName: 'Near', lastName: 'Orr' })
      const not = await d.add({ nickname: 'Not' })
      expect(await d.ids('and')).toEqual([and])
      expect(await d.ids('AND')).toEqual([and])
      expect(await d.ids('NEAR')).toEqual([near])
      expect(await d.ids('near orr')).toEqual([near])
      expect(await d.ids('OR')).toEqual([near])
      expect(await d.ids('NOT')).toEqual([not])
    })

    it('survives random text', async () => {
      const d = await newDesk()
      await d.add({ firstName: 'Marisol' })
      const random = rng(7)
      const alphabet = `aeiouMRS "'*%_()\\:^{}-+.,;NEARANDORNOT0123456789éñü🙂\u0000\u0301`
      for (let i = 0; i < 300; i++) {
        const text = Array.from({ length: 1 + Math.floor(random() * 12) }, () => [...alphabet][Math.floor(random() * [...alphabet].length)]).join('')
        await expect(searchParticipants(d.ctx, text), JSON.stringify(text)).resolves.toBeInstanceOf(Array)
      }
    })

  })

  describe('speed: the index does the work', () => {
    if (backend === 'sqlite') {
      it('walks the search index in recency order and reads only the people it returns (no scan, no sort)', async () => {
        const d = await newDesk()
        const sqlite = d.records.sqlite!
        // With a handful of people and fresh statistics, SQLite would rather scan them all: the query must not let it.
        for (const firstName of ['Marisol', 'Maria', 'John']) await d.add({ firstName })
        sqlite.exec('ANALYZE')
        const plan = (sqlite.prepare(`EXPLAIN QUERY PLAN ${SEARCH_SQL}`).all('{name} : "m"*', 1, 20) as Array<{ detail: string }>).map((row) => row.detail)
        expect(plan[0]).toMatch(/^SCAN s VIRTUAL TABLE INDEX \d+:/)
        expect(plan).toContain('SEARCH p USING INTEGER PRIMARY KEY (rowid=?)')
        expect(plan.join('\n')).not.toMatch(/SCAN p\b|SCAN participants|TEMP B-TREE/)
      })
    }

    if (backend === 'postgres') {
      it('answers every keystroke from the indexes, the first two letters too: trigrams, and the list of names beyond ASCII (no read of every name)', async () => {
        const d = await newDesk()
        const { db } = d.records
        // 3,000 names of three letters that never start with "m", "z" or "ma", and one of each.
        const letters = 'bcdfghjklnpqrstvwx'
        const names = Array.from({ length: 3000 }, (_, i) => `${letters[i % 18]}${'aeiou'[(i >> 3) % 5]}${letters[(i >> 5) % 18]}`)
        const rows = [...names, 'maria', 'zoë'].map((name, i) => ({ code: `C${String(i).padStart(5, '0')}`, first_name: name, name_key: name, first_key: name, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z' }))
        await db.transaction().execute(async (trx) => {
          for (let at = 0; at < rows.length; at += 500) await trx.insertInto('participants').values(rows.slice(at, at + 500)).execute()
        })
        await sql`ANALYZE`.execute(db)
        for (const typed of ['m', 'ma', 'mar', 'z', 'zo']) {
          // A table this small is cheaper to read whole or walk in order: what is asked is that the indexes can answer, and exactly.
          const plan = await db.transaction().execute(async (trx) => {
            await sql`SET LOCAL enable_seqscan = off`.execute(trx)
            await sql`SET LOCAL enable_indexscan = off`.execute(trx)
            const query = postgresSearchQuery({ db: trx }, prefixQuery(searchWords(typed)), 20).compile()
            const explained = await trx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ${query.sql}`, [...query.parameters]))
            return explained.rows.map((row) => row['QUERY PLAN']).join('\n')
          })
          // The name's trigram index hands over the one name with a word starting so, not all 3,002.
          expect(plan, typed).toMatch(/Bitmap Index Scan on participant_search_name \(actual rows=1 loops=1\)/)
          if (typed.length < 3) expect(plan, typed).toMatch(/Bitmap Index Scan on participant_search_not_ascii \(actual rows=1 loops=1\)/)
        }
        expect(await d.ids('ma')).toHaveLength(1)
        expect(await d.ids('zo')).toHaveLength(1)
      })
    }

    it('returns the most recent of thousands of matches straight from the index order', async () => {
      const d = await newDesk()
      const { db } = d.records
      const stamp = (i: number) => new Date(Date.parse('2026-01-01T00:00:00Z') + ((i * 7919) % 3000) * 60_000).toISOString()
      const rows = Array.from({ length: 3000 }, (_, i) => ({
        code: `C${String(i).padStart(5, '0')}`,
        first_name: 'Maria',
        name_key: 'maria',
        first_key: 'maria',
        last_visit_at: stamp(i),
        created_at: stamp(i),
        updated_at: stamp(i),
      }))
      await db.transaction().execute(async (trx) => {
        for (let at = 0; at < rows.length; at += 500) await trx.insertInto('participants').values(rows.slice(at, at + 500)).execute()
      })
      const expected = (await db.selectFrom('participants').select('id').orderBy('last_visit_at', 'desc').limit(20).execute()).map((row) => row.id)
      expect(await d.ids('m')).toEqual(expected)
      expect(await d.ids('maria')).toEqual(expected)
    })

    if (backend === 'postgres') {
      it('walks the index newest first for a prefix thousands of names share, reading only the newest 60 matches', async () => {
        const d = await newDesk()
        const { db } = d.records
        const rows = Array.from({ length: 3000 }, (_, i) => ({ code: `C${String(i).padStart(5, '0')}`, first_name: 'Maria', name_key: 'maria', first_key: 'maria', created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z' }))
        await db.transaction().execute(async (trx) => {
          for (let at = 0; at < rows.length; at += 500) await trx.insertInto('participants').values(rows.slice(at, at + 500)).execute()
        })
        await sql`ANALYZE`.execute(db)
        for (const typed of ['m', 'ma', 'mari']) {
          // 3,000 people are cheaper to read whole than to look up 60: what is asked here is the index walk
          // of the window (at 100k people the planner looks the window's people up by primary key).
          const plan = await db.transaction().execute(async (trx) => {
            await sql`SET LOCAL enable_seqscan = off`.execute(trx)
            const query = postgresWindowQuery({ db: trx }, prefixQuery(searchWords(typed)), 20, 60).compile()
            const explained = await trx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ${query.sql}`, [...query.parameters]))
            return explained.rows.map((row) => row['QUERY PLAN']).join('\n')
          })
          expect(plan, typed).toMatch(/Index Scan Backward using participant_search_pkey on participant_search s(_1)? \(actual rows=60 loops=1\)/)
          expect(plan, typed).not.toMatch(/Bitmap|Seq Scan on participant_search/)
        }
      })

      it('asks the server once for a prefix few names have, and twice for a word with a typo: no second try without the window, no separate names version', async () => {
        const d = await newDesk()
        const marisol = await d.add({ firstName: 'Marisol', lastName: 'Rodríguez' })
        await d.add({ firstName: 'Omar', lastName: 'Sol' })
        let statements = 0
        const db = d.records.db.withPlugin({
          transformQuery: (args) => args.node,
          transformResult: async (args) => {
            statements++
            return args.result
          },
        })
        const ctx: SearchContext = { ...d.ctx, db }
        const counted = async (text: string) => {
          statements = 0
          const ids = (await searchParticipants(ctx, text)).map((p) => p.id)
          return { ids, statements }
        }
        // The first typo search reads the word list (the names version, then the words).
        expect((await counted('marsiol')).ids).toEqual([marisol])
        expect(await counted('mari')).toEqual({ ids: [marisol], statements: 1 })
        expect(await counted('marsiol')).toEqual({ ids: [marisol], statements: 2 })
        expect(await counted('rodriguez marsiol')).toEqual({ ids: [marisol], statements: 2 })
      })

      it("answers the typo pass's exact guesses from the index by their LIKE alone (the word-start test only on the rows it finds)", async () => {
        const d = await newDesk()
        const { db } = d.records
        // Thousands of Marianas share every trigram of "maria" but its word end: the very case where
        // the word-start test looks selective enough to be worth an index condition.
        const names = [...Array.from({ length: 3000 }, () => 'Mariana'), 'Maria', 'Mario', 'Marta', 'Omar']
        const rows = names.map((name, i) => ({ code: `C${String(i).padStart(5, '0')}`, first_name: name, name_key: name.toLowerCase(), first_key: name.toLowerCase(), created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z' }))
        await db.transaction().execute(async (trx) => {
          for (let at = 0; at < rows.length; at += 500) await trx.insertInto('participants').values(rows.slice(at, at + 500)).execute()
        })
        await sql`ANALYZE`.execute(db)
        const guesses = ['maria', 'mario', 'marta'].map((word) => ({ field: 'name' as const, word, prefix: false }))
        const query = postgresSearchQuery({ db }, [guesses], 20).compile()
        // The typo pass's guesses at 100k people match few: the trigram index is how they are found.
        const plan = await db.transaction().execute(async (trx) => {
          await sql`SET LOCAL enable_seqscan = off`.execute(trx)
          await sql`SET LOCAL enable_indexscan = off`.execute(trx)
          const explained = await trx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`EXPLAIN (COSTS OFF) ${query.sql}`, [...query.parameters]))
          return explained.rows.map((row) => row['QUERY PLAN'])
        })
        const conditions = plan.filter((line) => /Index Cond|Recheck Cond/.test(line)).join('\n')
        // One index condition for all three guesses, so one scan for the planner to cost, not one per guess.
        expect(conditions).toMatch(/name ~~ ANY \('\{%maria%,%mario%,%marta%\}'::text\[\]\)/)
        expect(plan.filter((line) => /Bitmap Index Scan on participant_search_name/.test(line))).toHaveLength(1)
        expect(conditions).not.toMatch(/name ~ '/)
        expect((await db.executeQuery(query)).rows.map((row) => (row as { first_name: string }).first_name).sort()).toEqual(['Maria', 'Mario', 'Marta'])
      })
    }
  })

  describe('consistency', () => {
    it('keeps the index in step with participants and aliases through any mix of changes', async () => {
      const d = await newDesk()
      const random = rng(42)
      const names = ['Maria', 'Marisol', 'John', 'Jon', 'Ana', 'Ann', 'Luis', 'Louis', 'Keisha', 'Tyrone']
      const ids: number[] = []
      const merges: number[] = []
      for (let step = 0; step < 150; step++) {
        const r = random()
        const live = await d.liveIds()
        const some = () => live[Math.floor(random() * live.length)]!
        if (r < 0.3 || live.length < 3) {
          ids.push(await d.add({ firstName: names[Math.floor(random() * names.length)]!, birthYear: 1960 + Math.floor(random() * 40) }))
        } else if (r < 0.55) {
          await d.visit(some())
        } else if (r < 0.7) {
          await updateParticipant(d.ctx, some(), { lastName: names[Math.floor(random() * names.length)]!, phone: `555${Math.floor(random() * 1e7)}` })
        } else if (r < 0.82) {
          const a = some()
          const b = some()
          if (a !== b) merges.push((await mergeParticipants(d.ctx, a, b)).id)
        } else if (r < 0.92 && merges.length > 0) {
          try {
            await undoMerge(d.ctx, merges.pop()!)
          } catch {
            // A later merge depends on it: fine, the index must hold either way.
          }
        } else {
          await d.remove(some(), '2026-11-03T00:00:00.000Z')
        }
        d.advance(7)
      }
      const { stored, expected } = await indexKeys(d.records)
      expect(stored).toEqual(expected)
      // Every findable person is found by their own code and by each alias code, and first.
      const { db } = d.records
      const people = await db.selectFrom('participants').select(['id', 'code']).where('merged_into', 'is', null).where('deleted_at', 'is', null).execute()
      for (const person of people) expect((await d.ids(person.code))[0]).toBe(person.id)
      const aliases = await db.selectFrom('participant_aliases').select(['code', 'participant_id as id']).execute()
      for (const alias of aliases) {
        const owner = people.find((p) => p.id === alias.id)
        if (owner) expect((await d.ids(alias.code))[0]).toBe(owner.id)
      }
    })

    it('does not read another use case’s uncommitted rows between its awaits', async () => {
      const d = await newDesk()
      let pending: Promise<number[]> | null = null
      await expect(
        d.ctx.db.transaction().execute(async (trx) => {
          await trx
            .insertInto('participants')
            .values({ code: 'PHNTM2', first_name: 'Phantom', name_key: 'phantom', first_key: 'phantom', created_at: '2026-11-02T15:00:00.000Z', updated_at: '2026-11-02T15:00:00.000Z' })
            .execute()
          pending = searchParticipants(d.ctx, 'phantom').then((found) => found.map((p) => p.id))
          throw new Error('roll back')
        }),
      ).rejects.toThrow('roll back')
      expect(await pending).toEqual([])
    })
  })
})

/**
 * The index's keys and the keys the findable people should have, both in order, as text (a key
 * passes 2^53, so JavaScript numbers would round it). On SQLite, FTS5's own integrity check runs too.
 */
async function indexKeys(records: TestRecords): Promise<{ stored: string[]; expected: string[] }> {
  const { sqlite, db } = records
  if (sqlite) {
    sqlite.prepare(`INSERT INTO participant_search (participant_search) VALUES ('integrity-check')`).run()
    const keys = (query: string) => sqlite.prepare(query).pluck().all() as string[]
    return {
      stored: storedKeys(sqlite),
      expected: keys(`SELECT CAST((coalesce(unixepoch(last_visit_at), 0) << 24) | id AS TEXT) FROM participants
                      WHERE merged_into IS NULL AND deleted_at IS NULL ORDER BY (coalesce(unixepoch(last_visit_at), 0) << 24) | id`),
    }
  }
  const keys = async (query: ReturnType<typeof sql<{ key: string }>>) => (await query.execute(db)).rows.map((row) => row.key)
  return {
    stored: await keys(sql`SELECT rowid::text AS key FROM participant_search ORDER BY rowid`),
    expected: await keys(sql`SELECT participant_search_key(last_visit_at, id)::text AS key FROM participants
                             WHERE merged_into IS NULL AND deleted_at IS NULL ORDER BY participant_search_key(last_visit_at, id)`),
  }
}

/**
 * The SQLite index's keys, read word by word: a contentless index without its sizes table (0065)
 * cannot list its rows. Each word's rows are also compared with an index built afresh from
 * participants, in the same way: the triggers remove a row by giving FTS5 the words it was indexed
 * with, and a word left out would stay behind (on a later row, or on a person who no longer has it).
 */
function storedKeys(sqlite: NonNullable<TestRecords['sqlite']>): string[] {
  const definition = sqlite.prepare(`SELECT sql FROM sqlite_schema WHERE name = 'participant_search'`).pluck().get() as string
  sqlite.exec(`DROP TABLE IF EXISTS temp.fresh_terms; DROP TABLE IF EXISTS temp.fresh;
    ${definition.replace('CREATE VIRTUAL TABLE participant_search', 'CREATE VIRTUAL TABLE temp.fresh')};
    CREATE VIRTUAL TABLE temp.fresh_terms USING fts5vocab(temp, fresh, 'col');
    INSERT INTO temp.fresh (rowid, name, code, phone, birth)
      SELECT (coalesce(unixepoch(p.last_visit_at), 0) << 24) | p.id, p.name_key,
        p.code || coalesce(' ' || (SELECT group_concat(a.code, ' ') FROM participant_aliases a WHERE a.participant_id = p.id), ''),
        CASE WHEN length(p.phone_digits) >= 4 THEN p.phone_digits || ' ' || substr(p.phone_digits, -7) || ' ' || substr(p.phone_digits, -4) END,
        p.birth_year
      FROM participants p WHERE p.merged_into IS NULL AND p.deleted_at IS NULL`)
  const words = (table: string) => sqlite.prepare(`SELECT col, term, doc FROM ${table} ORDER BY col, term`).all() as Array<{ col: string; term: string; doc: number }>
  const kept = words('participant_search_terms')
  expect(kept).toEqual(words('temp.fresh_terms'))
  const rowsOf = (table: string, col: string, term: string) =>
    sqlite.prepare(`SELECT CAST(rowid AS TEXT) FROM ${table} WHERE ${table.replace('temp.', '')} MATCH ? ORDER BY rowid`).pluck().all(`{${col}} : "${term}"`) as string[]
  const all = new Set<string>()
  for (const { col, term } of kept) {
    const rows = rowsOf('participant_search', col, term)
    expect(rows, `${col}: ${term}`).toEqual(rowsOf('temp.fresh', col, term))
    for (const row of rows) all.add(row)
  }
  sqlite.exec('DROP TABLE temp.fresh_terms; DROP TABLE temp.fresh')
  return [...all].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))
}

describe('the words and their query', () => {
  it('writes each word as a quoted string in the FTS query', () => {
    expect(searchWords(`  Ma"ría  O'Brien*  `)).toEqual(['ma', 'ria', 'o', 'brien'])
    expect(ftsQuery(prefixQuery(['ma', '0147', 'k7m']))).toBe(
      '{name} : "ma"* AND ({phone birth} : "0147"* OR {code} : "0147"*) AND ({name} : "k7m"* OR {code} : "k7m"*)',
    )
  })

  it('computes prefix edit distances', () => {
    expect(prefixDistance('marisl', 'marisol', 1)).toEqual({ distance: 1, whole: true })
    expect(prefixDistance('mairs', 'marisol', 1)).toEqual({ distance: 1, whole: false })
    expect(prefixDistance('jhon', 'john', 1)).toEqual({ distance: 1, whole: true })
    expect(prefixDistance('maisol', 'marisol', 1).distance).toBe(1)
    expect(prefixDistance('xyz', 'marisol', 1).distance).toBe(Infinity)
    expect(prefixDistance('mar', 'marisol', 0)).toEqual({ distance: 0, whole: false })
  })
})
