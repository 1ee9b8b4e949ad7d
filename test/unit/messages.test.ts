import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import type { TFunction } from 'i18next'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ServiceError } from '../../db/services/context'
import { contract } from '../../electron/ipc/contract'
import { describeInvalidInput, errorEnvelope } from '../../electron/ipc/dispatch'
import type { IpcError } from '../../electron/ipc/envelope'
import { CATALOGS, english, formatMessage, isMessageKey, MESSAGE_KEYS, placeholdersOf, type MessageKey, type MessageParams, type MessageRef } from '../../shared/messages'
import { en } from '../../shared/messages/en'

/**
 * Every message main can send is a key of the shared catalog, worded in English and Spanish
 * with the same placeholders; a Spanish screen shows no English.
 */
const ROOT = resolve(import.meta.dirname, '../..')

/**
 * The renderer's own formatter, the one every screen calls. Loaded by path: the renderer is
 * type-checked for the browser (tsconfig.web.json), not with main's and the tests' Node types.
 */
type ApiErrorCode = IpcError['code'] | 'NO_BRIDGE'
interface ApiErrorLike extends Error {
  code: ApiErrorCode
}
interface RendererErrors {
  ApiError: new (code: ApiErrorCode, message: string, fields?: Record<string, MessageRef>, detail?: Record<string, unknown>, key?: MessageKey, params?: MessageParams) => ApiErrorLike
  errorMessage: (t: TFunction, language: 'en' | 'es', error: unknown) => string
  fieldErrors: <F extends string>(error: unknown, fields: readonly F[], language?: 'en' | 'es') => Partial<Record<F, string>>
}
const { ApiError } = (await import(/* @vite-ignore */ join(ROOT, 'renderer/src/bridge.ts'))) as Pick<RendererErrors, 'ApiError'>
const { errorMessage, fieldErrors } = (await import(/* @vite-ignore */ join(ROOT, 'renderer/src/lib/errors.ts'))) as Omit<RendererErrors, 'ApiError'>
// The renderer reads each language's catalog when the language is first shown (i18n/index.ts): both, here.
const { loadMessages } = (await import(/* @vite-ignore */ join(ROOT, 'renderer/src/i18n/messages.ts'))) as { loadMessages: (language: 'en' | 'es') => Promise<void> }
await Promise.all([loadMessages('en'), loadMessages('es')])

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(ROOT, dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(relative(ROOT, path))
    return path.endsWith('.ts') ? [relative(ROOT, path)] : []
  })
}

/** The text of every `new ServiceError(…)` in main's code, with where it is. */
function throwSites(): Array<{ where: string; text: string }> {
  const sites: Array<{ where: string; text: string }> = []
  for (const file of [...sourceFiles('db'), ...sourceFiles('electron')]) {
    const source = readFileSync(join(ROOT, file), 'utf8')
    for (const match of source.matchAll(/new ServiceError\(/g)) {
      // The call's arguments: up to the parenthesis that closes it.
      let depth = 0
      let end = match.index
      for (; end < source.length; end++) {
        if (source[end] === '(') depth++
        if (source[end] === ')' && --depth === 0) break
      }
      const line = source.slice(0, match.index).split('\n').length
      sites.push({ where: `${file}:${line}`, text: source.slice(match.index, end + 1) })
    }
  }
  return sites
}

/** The catalog keys a piece of source names as string literals ('staff.usernameTaken'), not the field names beside them. */
function keysIn(text: string): string[] {
  return [...text.matchAll(/(?<!field: )'([a-z][A-Za-z]*(?:\.[A-Za-z_]+)+)'/g)].map((m) => m[1]!)
}

/** English words that have no business on a Spanish screen (none is also a Spanish word). */
const ENGLISH = /(?<!\p{L})(the|is|are|was|your|you|this|that|these|with|and|of|to|for|not|enter|choose|please|first|again|already|cannot|must|at least|at most|it|be|been|has|have|there|which|or|in|on|by|an|as|sign|signed|try|refresh|records?|any more|ask)(?!\p{L})/iu

/** Placeholder values that are not English themselves: a field's name as a message, numbers, names, dates. */
function sampleParams(key: MessageKey): Record<string, unknown> {
  const params: Record<string, unknown> = {}
  for (const name of placeholdersOf('en', key)) {
    if (name === 'field') params[name] = { key: 'field.keepDaily' }
    else if (name === 'problem') params[name] = { key: 'input.atLeast', params: { min: 1 } }
    else if (name === 'what') params[name] = { key: 'fieldRules.what.phone' }
    else if (name === 'type') params[name] = { key: 'referralType.housing' }
    else if (['count', 'min', 'max', 'items', 'years', 'capacity', 'expected', 'due'].includes(name)) params[name] = 3
    else if (name === 'date') params[name] = '2026-11-25'
    else params[name] = 'Ana'
  }
  return params
}

const t = ((key: string) => `[${key}]`) as unknown as TFunction

/** How the renderer shows a refusal from main, in a language: the same function the screens call. */
function shown(language: 'en' | 'es', ref: MessageRef, code: ApiErrorCode = 'VALIDATION'): string {
  return errorMessage(t, language, new ApiError(code, english(ref), {}, {}, ref.key, ref.params ?? {}))
}

describe('the shared catalog', () => {
  it('has every key in English and Spanish, with the same placeholders and the same shape', () => {
    for (const key of MESSAGE_KEYS) {
      const spanish = CATALOGS.es[key]
      expect(spanish, key).toBeDefined()
      expect(typeof spanish, key).toBe(typeof en[key])
      expect(placeholdersOf('es', key), key).toEqual(placeholdersOf('en', key))
    }
    expect(Object.keys(CATALOGS.es).sort()).toEqual([...MESSAGE_KEYS].sort())
  })

  it('finds every throw site’s key in both catalogs: a ServiceError is built from a key, never from a sentence', () => {
    const sites = throwSites()
    expect(sites.length).toBeGreaterThan(150)
    for (const site of sites) {
      const keys = keysIn(site.text)
      expect(keys.length, `${site.where}: ${site.text}`).toBeGreaterThan(0)
      for (const key of keys) expect(isMessageKey(key), `${site.where}: ${key}`).toBe(true)
    }
  })

  it('finds every key the IPC contract and the door name in both catalogs, and no sentence in the contract', () => {
    const contractFiles = sourceFiles('electron/ipc/contract')
    for (const file of contractFiles) {
      const source = readFileSync(join(ROOT, file), 'utf8')
      // A check's message is says('key'); an English sentence here would reach a Spanish screen.
      expect(source, file).not.toMatch(/message:\s*['`]/)
      for (const match of source.matchAll(/says\('([^']+)'\)/g)) expect(isMessageKey(match[1]), `${file}: ${match[1]}`).toBe(true)
    }
    const door = readFileSync(join(ROOT, 'electron/ipc/dispatch.ts'), 'utf8')
    const doorKeys = [...door.matchAll(/message\('([^']+)'/g)].map((m) => m[1]!)
    expect(doorKeys.length).toBeGreaterThan(10)
    for (const key of doorKeys) expect(isMessageKey(key), key).toBe(true)
  })

  it('words a placeholder given as a message in the same language, and counts in the language’s plural', () => {
    const ref: MessageRef = { key: 'input.invalidField', params: { field: { key: 'field.keepDaily' }, problem: { key: 'input.atLeast', params: { min: 1 } } } }
    expect(formatMessage('en', ref.key, ref.params)).toBe('Daily backups to keep: At least 1.')
    expect(formatMessage('es', ref.key, ref.params)).toBe('Copias diarias a conservar: Como mínimo 1.')
    expect(formatMessage('en', 'attendance.marksDiffer', { count: 1 })).toMatch(/^1 person is/)
    expect(formatMessage('es', 'attendance.marksDiffer', { count: 2 })).toMatch(/^2 personas ya tienen/)
    // A missing value shows as such rather than reading well.
    expect(formatMessage('en', 'staff.usernameTaken')).toMatch(/taken/)
    expect(formatMessage('en', 'closures.already', {})).toContain('{{date}}')
  })
})

describe('a Spanish screen shows no English', () => {
  it('words every key of the catalog (every throw site’s, the door’s and the input checks’) in Spanish through the renderer', () => {
    // The detector knows English when it sees it: the sentences the issue found on Spanish screens.
    for (const seen of ['Some of what was sent is not valid. code: Use letters and digits only.', 'That username is taken…', 'keepDaily: At least 1.']) expect(seen).toMatch(ENGLISH)
    for (const key of MESSAGE_KEYS) {
      const ref = { key, params: sampleParams(key) }
      const spanish = shown('es', ref)
      const englishText = shown('en', ref)
      expect(spanish, key).not.toMatch(/\{\{/)
      expect(spanish, key).not.toBe(englishText)
      expect(spanish, `${key}: ${spanish}`).not.toMatch(ENGLISH)
      // And the English wording is the catalog's, the one main logs and the command line prints.
      expect(englishText, key).toBe(english(ref))
    }
  })

  it('words every throw site’s refusal, as main sends it, in Spanish: the envelope, its field and the form', () => {
    for (const site of throwSites()) {
      for (const key of keysIn(site.text).filter(isMessageKey)) {
        const params = { field: 'name', ...sampleParams(key) }
        const envelope = errorEnvelope('staff.create', new ServiceError('CONFLICT', key as 'staff.usernameTaken', params), () => {})
        if (envelope.ok) throw new Error('expected a refusal')
        const { code, message, fields, detail, key: sent, params: sentParams } = envelope.error
        const error = new ApiError(code, message, fields, detail, sent, sentParams)
        const spanish = errorMessage(t, 'es', error)
        expect(spanish, `${site.where}: ${spanish}`).not.toMatch(ENGLISH)
        expect(spanish).toBe(fieldErrors(error, ['name'] as const, 'es').name)
      }
    }
  })

  it('words the door’s refusals in Spanish, not only their English message', () => {
    for (const key of ['door.forbidden', 'door.signedOut', 'door.locked', 'door.kioskMode', 'door.internal', 'door.diskFull'] as const) {
      expect(shown('es', { key }, 'FORBIDDEN'), key).not.toMatch(ENGLISH)
    }
  })
})

describe('zod at the door: every kind of refusal becomes a key with its parameters and its field', () => {
  const cases: Array<[what: string, schema: z.ZodType, input: unknown, key: MessageKey, spanish: string]> = [
    ['a number too small', z.object({ keepDaily: z.number().min(1) }).strict(), { keepDaily: 0 }, 'input.atLeast', 'Copias diarias a conservar: Como mínimo 1.'],
    ['a number too big', z.object({ keepWeekly: z.number().max(520) }).strict(), { keepWeekly: 600 }, 'input.atMost', 'Copias semanales a conservar: Como máximo 520.'],
    ['text too long', z.object({ note: z.string().max(10) }).strict(), { note: 'x'.repeat(11) }, 'input.textAtMost', 'Nota: Use como máximo 10 caracteres.'],
    ['text too short', z.object({ password: z.string().min(10) }).strict(), { password: 'short' }, 'input.textAtLeast', 'Contraseña: Use al menos 10 caracteres.'],
    ['an empty required text', z.object({ name: z.string().trim().min(1) }).strict(), { name: '  ' }, 'input.required', 'Nombre: Complete este dato.'],
    ['a missing field', z.object({ username: z.string() }).strict(), {}, 'input.required', 'Nombre de usuario: Complete este dato.'],
    ['a wrong type', z.object({ capacity: z.number() }).strict(), { capacity: 'many' }, 'input.number', 'Cupo: Escriba un número.'],
    ['a fraction', z.object({ quantity: z.number().int() }).strict(), { quantity: 1.5 }, 'input.wholeNumber', 'Cantidad: Escriba un número entero.'],
    ['a bad date', z.object({ from: z.iso.date() }).strict(), { from: '2026-13-40' }, 'input.date', 'Primer día: Escriba una fecha como 2026-01-31.'],
    ['an unknown answer', z.object({ role: z.enum(['admin', 'manager']) }).strict(), { role: 'owner' }, 'input.choose', 'Rol: Elija una de las respuestas que se ofrecen.'],
    ['a list too long', z.object({ services: z.array(z.number()).max(2) }).strict(), { services: [1, 2, 3] }, 'input.listAtMost', 'Servicios: Elija como máximo 2.'],
    ['an extra key', z.object({}).strict(), { role: 'admin' }, 'input.unknownField', 'Parte de lo que se envió no es válido: Porchlight no espera este dato.'],
  ]

  it.each(cases)('%s', (_what, schema, input, key, spanish) => {
    const parsed = schema.safeParse(input)
    if (parsed.success) throw new Error('expected a refusal')
    const error = describeInvalidInput(parsed.error, input)
    const problem = Object.values(error.fields ?? {})[0]!
    expect(problem.key).toBe(key)
    const apiError = new ApiError(error.code, error.message, error.fields, {}, error.key, error.params)
    expect(errorMessage(t, 'es', apiError)).toBe(spanish)
    expect(errorMessage(t, 'es', apiError)).not.toMatch(ENGLISH)
  })

  it('a contract check’s own key wins, with the limits zod reports (a kiosk code with symbols)', () => {
    const input = { code: 'AB$%12' }
    const parsed = contract['kiosk.find'].input.safeParse(input)
    if (parsed.success) throw new Error('expected a refusal')
    const error = describeInvalidInput(parsed.error, input)
    expect(error.fields).toEqual({ code: { key: 'input.lettersDigits', params: {} } })
    expect(error.message).toBe('Code: Use letters and digits only.')
    expect(errorMessage(t, 'es', new ApiError(error.code, error.message, error.fields, {}, error.key, error.params))).toBe('Código: Use solo letras y números.')
  })

  it('labels every field a form can be refused on: each field key is a name the contract uses', () => {
    const names = new Set<string>()
    const walk = (schema: unknown): void => {
      const def = (schema as { def?: Record<string, unknown> } | undefined)?.def
      if (!def) return
      const shape = def.shape as Record<string, unknown> | undefined
      for (const [name, inner] of Object.entries(shape ?? {})) {
        names.add(name)
        walk(inner)
      }
      for (const part of ['innerType', 'element', 'in', 'out', 'schema', 'left', 'right'] as const) walk(def[part])
      for (const option of (def.options as unknown[] | undefined) ?? []) walk(option)
    }
    for (const def of Object.values(contract)) walk(def.input)
    const unused = MESSAGE_KEYS.filter((key) => key.startsWith('field.')).map((key) => key.slice('field.'.length)).filter((name) => !names.has(name))
    expect(unused).toEqual([])
  })
})
