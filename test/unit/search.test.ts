import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { generateKey } from '../../db/keys'
import { createDatabase, type OpenDatabase } from '../../db/open'
import type { ServiceContext } from '../../db/services/context'
import { mergeParticipants, undoMerge } from '../../db/services/merges'
import { createParticipant, type NewParticipantInput } from '../../db/services/participants'
import { updateParticipant } from '../../db/services/profile'
import {
  FUZZY_BELOW,
  prefixDistance,
  prefixQuery,
  SEARCH_SQL,
  searchParticipants,
  searchWords,
  type SearchContext,
} from '../../db/services/search'
import { signIn } from '../../db/services/visits'
import { rng } from '../../db/seed'
import { useTempDirs } from './helpers'

const tempDir = useTempDirs()

interface Desk {
  opened: OpenDatabase
  /** With the raw connection, as the IPC handler passes it: prepared statements. */
  ctx: SearchContext
  /** Without it: the same compiled queries through kysely. */
  viaKysely: ServiceContext
  advance(minutes: number): void
  add(input: NewParticipantInput): Promise<number>
  /** Signs a person in now (which makes them the most recently seen), then moves the clock on. */
  visit(id: number): Promise<void>
  /** Names (first or nickname) found for a search, best first, checked to be the same on both paths. */
  names(text: string, limit?: number): Promise<string[]>
  ids(text: string, limit?: number): Promise<number[]>
}

async function desk(): Promise<Desk> {
  const opened = await createDatabase(join(tempDir(), 'porchlight.db'), generateKey())
  let at = Date.parse('2026-11-02T15:00:00.000Z')
  const now = () => new Date(at)
  const viaKysely: ServiceContext = { db: opened.db, staffId: null, now, timeZone: 'UTC' }
  const ctx: SearchContext = { ...viaKysely, sqlite: opened.sqlite }
  const found = async (text: string, limit?: number) => {
    const fast = await searchParticipants(ctx, text, limit)
    const slow = await searchParticipants(viaKysely, text, limit)
    expect(slow, `kysely path for "${text}"`).toEqual(fast)
    return fast
  }
  return {
    opened,
    ctx,
    viaKysely,
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
  }
}

describe('what a search matches', () => {
  it('matches names by prefix from the first keystroke, accents folded either way', async () => {
    const d = await desk()
    const marisol = await d.add({ firstName: 'Marisol', lastName: 'Rodríguez' })
    const jose = await d.add({ firstName: 'José', nickname: 'Pepe', lastName: 'Nuñez' })
    const zoe = await d.add({ firstName: 'Zoe', lastName: 'Quinn' })
    for (const typed of ['m', 'ma', 'mar', 'mari', 'maris', 'mariso', 'marisol', 'MARISOL', 'r', 'rodr', 'rodriguez', 'Rodríguez']) {
      expect(await d.ids(typed), typed).toEqual([marisol])
    }
    for (const typed of ['jose', 'José', 'JOSE', 'pep', 'nunez', 'Nuñ']) expect(await d.ids(typed), typed).toEqual([jose])
    expect(await d.ids('zoë')).toEqual([zoe])
  })

  it('needs every word typed to match something, in any order', async () => {
    const d = await desk()
    const marisol = await d.add({ firstName: 'Marisol', lastName: 'Rodríguez', birthYear: 1984 })
    await d.add({ firstName: 'Mario', lastName: 'Smith' })
    expect(await d.ids('mar rod')).toEqual([marisol])
    expect(await d.ids('rod mar')).toEqual([marisol])
    expect(await d.ids('marisol 1984')).toEqual([marisol])
    expect(await d.ids('marisol 1985')).toEqual([])
    expect(await d.ids('mario nunez')).toEqual([])
  })

  it('finds a phone number whole, as typed, or by its last seven or last four digits', async () => {
    const d = await desk()
    const ana = await d.add({ firstName: 'Ana', phone: '(312) 555-0147' })
    await d.add({ firstName: 'Bea', phone: '(773) 555-9876' })
    for (const typed of ['3125550147', '(312) 555-0147', '312-555-0147', '5550147', '555-0147', '0147']) {
      expect(await d.ids(typed), typed).toEqual([ana])
    }
    expect(await d.ids('0148')).toEqual([])
  })

  it('finds a birth year', async () => {
    const d = await desk()
    const ana = await d.add({ firstName: 'Ana', birthYear: 1984 })
    await d.add({ firstName: 'Bea', birthYear: 1990 })
    expect(await d.ids('1984')).toEqual([ana])
  })

  it('finds a participant code exactly and by prefix from three characters, in any case', async () => {
    const d = await desk()
    const ana = await d.add({ firstName: 'Ana' })
    const bea = await d.add({ firstName: 'Bea' })
    const setCode = d.opened.sqlite.prepare(`UPDATE participants SET code = ? WHERE id = ?`)
    setCode.run('K7WTPX', ana)
    setCode.run('WTPXKM', bea)
    // A letter and a digit together can only be a code, from two characters.
    for (const typed of ['K7WTPX', 'k7wtpx', 'k7w', 'K7WT', 'k7']) expect(await d.ids(typed), typed).toEqual([ana])
    for (const typed of ['WTPXKM', 'wtp', 'wtpxk']) expect(await d.ids(typed), typed).toEqual([bea])
    // One or two letters are a name being typed, not a code.
    expect(await d.ids('wt')).toEqual([])
    expect(await d.ids('k7wtpz')).toEqual([])
  })

  it('forgives a typing mistake in a name: a letter missing, extra, wrong or swapped', async () => {
    const d = await desk()
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

  it('honours the limit', async () => {
    const d = await desk()
    for (let i = 0; i < 30; i++) await d.add({ firstName: `Maria${String.fromCharCode(97 + (i % 26))}` })
    expect(await d.ids('mar', 5)).toHaveLength(5)
    expect(await d.ids('mar')).toHaveLength(20)
    expect(await d.ids('mar', 50)).toHaveLength(30)
  })
})

describe('ranking', () => {
  it('puts the people seen most recently first, then people never seen, newest first', async () => {
    const d = await desk()
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
  })

  it('puts exact and prefix matches before guesses at a typo, however recent the guesses', async () => {
    const d = await desk()
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
    const d = await desk()
    const marisela = await d.add({ firstName: 'Marisela' })
    const marisol = await d.add({ firstName: 'Marisol' })
    await d.visit(marisol)
    await d.visit(marisela)
    // "marisolx" is one letter from Marisol and two from Marisela (seen more recently).
    expect(await d.ids('marisolx')).toEqual([marisol, marisela])
  })

  it('puts the person whose code was typed first, ahead of more recent name matches', async () => {
    const d = await desk()
    const carded = await d.add({ firstName: 'Ana' })
    d.opened.sqlite.prepare(`UPDATE participants SET code = 'MARCUS' WHERE id = ?`).run(carded)
    const marcus = await d.add({ nickname: 'Marcus' })
    await d.visit(carded)
    await d.visit(marcus)
    expect(await d.ids('marcus')).toEqual([carded, marcus])
    expect(await d.ids('marc')).toEqual([marcus, carded])
  })
})

describe('merged and deleted people', () => {
  it('finds the kept person by a merged record’s code, and never the merged record', async () => {
    const d = await desk()
    const kept = await d.add({ firstName: 'Rosalind', lastName: 'Okafor' })
    const dup = await d.add({ firstName: 'Rosalyn', lastName: 'Okafor' })
    const older = await d.add({ firstName: 'Roz', lastName: 'Okafor' })
    const codeOf = (id: number) => d.opened.sqlite.prepare('SELECT code FROM participants WHERE id = ?').pluck().get(id) as string
    const [dupCode, olderCode] = [codeOf(dup), codeOf(older)]
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
    const d = await desk()
    const gone = await d.add({ firstName: 'Gwendolyn' })
    d.opened.sqlite.prepare(`UPDATE participants SET deleted_at = '2026-11-02T16:00:00.000Z' WHERE id = ?`).run(gone)
    expect(await d.ids('gwen')).toEqual([])
    expect(await d.ids('gwendolin')).toEqual([])
  })

  it('follows a change of name, phone or birth year', async () => {
    const d = await desk()
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
    const d = await desk()
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
    expect(await d.opened.sqlite.prepare('SELECT count(*) FROM participants').pluck().get()).toBe(1)
  })

  it('finds people whose names are query words', async () => {
    const d = await desk()
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
    const d = await desk()
    await d.add({ firstName: 'Marisol' })
    const random = rng(7)
    const alphabet = `aeiouMRS "'*%_()\\:^{}-+.,;NEARANDORNOT0123456789éñü🙂\u0000\u0301`
    for (let i = 0; i < 300; i++) {
      const text = Array.from({ length: 1 + Math.floor(random() * 12) }, () => [...alphabet][Math.floor(random() * [...alphabet].length)]).join('')
      await expect(searchParticipants(d.ctx, text), JSON.stringify(text)).resolves.toBeInstanceOf(Array)
    }
  })

  it('writes each word as a quoted string in the FTS query', () => {
    expect(searchWords(`  Ma"ría  O'Brien*  `)).toEqual(['ma', 'ria', 'o', 'brien'])
    expect(prefixQuery(['ma', '0147', 'k7m'])).toBe(
      '{name} : "ma"* AND ({phone birth} : "0147"* OR {code} : "0147"*) AND ({name} : "k7m"* OR {code} : "k7m"*)',
    )
  })
})

describe('speed: the index does the work', () => {
  it('walks the search index in recency order and reads only the people it returns (no scan, no sort)', async () => {
    const d = await desk()
    // With a handful of people and fresh statistics, SQLite would rather scan them all: the query must not let it.
    for (const firstName of ['Marisol', 'Maria', 'John']) await d.add({ firstName })
    d.opened.sqlite.exec('ANALYZE')
    const plan = (d.opened.sqlite.prepare(`EXPLAIN QUERY PLAN ${SEARCH_SQL}`).all('{name} : "m"*', 20) as Array<{ detail: string }>).map(
      (row) => row.detail,
    )
    expect(plan[0]).toMatch(/^SCAN s VIRTUAL TABLE INDEX \d+:/)
    expect(plan).toContain('SEARCH p USING INTEGER PRIMARY KEY (rowid=?)')
    expect(plan.join('\n')).not.toMatch(/SCAN p\b|SCAN participants|TEMP B-TREE/)
  })

  it('returns the most recent of thousands of matches straight from the index order', async () => {
    const d = await desk()
    const insert = d.opened.sqlite.prepare(
      `INSERT INTO participants (code, first_name, name_key, first_key, last_visit_at, created_at, updated_at) VALUES (?, 'Maria', 'maria', 'maria', ?, ?, ?)`,
    )
    const stamp = (i: number) => new Date(Date.parse('2026-01-01T00:00:00Z') + ((i * 7919) % 3000) * 60_000).toISOString()
    d.opened.sqlite.transaction(() => {
      for (let i = 0; i < 3000; i++) insert.run(`C${String(i).padStart(5, '0')}`, stamp(i), stamp(i), stamp(i))
    })()
    const expected = d.opened.sqlite.prepare(`SELECT id FROM participants ORDER BY last_visit_at DESC LIMIT 20`).pluck().all()
    expect(await d.ids('m')).toEqual(expected)
    expect(await d.ids('maria')).toEqual(expected)
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

describe('consistency', () => {
  it('keeps the index in step with participants and aliases through any mix of changes', async () => {
    const d = await desk()
    const random = rng(42)
    const names = ['Maria', 'Marisol', 'John', 'Jon', 'Ana', 'Ann', 'Luis', 'Louis', 'Keisha', 'Tyrone']
    const ids: number[] = []
    const merges: number[] = []
    for (let step = 0; step < 150; step++) {
      const r = random()
      const live = d.opened.sqlite.prepare('SELECT id FROM participants WHERE merged_into IS NULL AND deleted_at IS NULL').pluck().all() as number[]
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
        d.opened.sqlite.prepare(`UPDATE participants SET deleted_at = ? WHERE id = ?`).run('2026-11-03T00:00:00.000Z', some())
      }
      d.advance(7)
    }
    const { sqlite } = d.opened
    const expected = sqlite
      .prepare(
        `SELECT (coalesce(unixepoch(last_visit_at), 0) << 24) | id AS key FROM participants
         WHERE merged_into IS NULL AND deleted_at IS NULL ORDER BY key`,
      )
      .pluck()
      .all()
    expect(sqlite.prepare('SELECT rowid FROM participant_search ORDER BY rowid').pluck().all()).toEqual(expected)
    sqlite.prepare(`INSERT INTO participant_search (participant_search) VALUES ('integrity-check')`).run()
    // Every findable person is found by their own code and by each alias code, and first.
    const people = sqlite.prepare('SELECT id, code FROM participants WHERE merged_into IS NULL AND deleted_at IS NULL').all() as Array<{ id: number; code: string }>
    for (const person of people) expect((await d.ids(person.code))[0]).toBe(person.id)
    const aliases = sqlite.prepare('SELECT code, participant_id AS id FROM participant_aliases').all() as Array<{ id: number; code: string }>
    for (const alias of aliases) {
      const owner = people.find((p) => p.id === alias.id)
      if (owner) expect((await d.ids(alias.code))[0]).toBe(owner.id)
    }
  })

  it('does not read another use case’s uncommitted rows between its awaits', async () => {
    const d = await desk()
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
