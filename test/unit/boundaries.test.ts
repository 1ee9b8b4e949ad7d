import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { ESLint } from 'eslint'
import { CHANNELS } from '../../electron/ipc/channels'
import { describe, expect, it } from 'vitest'

/**
 * The lint rules that keep the rooms apart (eslint.config.js), proven on small snippets placed
 * in each room: each forbidden import is an error, and the allowed ones are not.
 */
const ROOT = resolve(import.meta.dirname, '../..')
const eslint = new ESLint({ cwd: ROOT })
const BOUNDARY_RULES = new Set(['no-restricted-imports', 'no-restricted-syntax'])

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, filePath) })
  if (!result) throw new Error('ESLint returned no result')
  const fatal = result.messages.filter((m) => m.fatal)
  if (fatal.length > 0) throw new Error(`could not parse the snippet: ${fatal[0]!.message}`)
  return result.messages.filter((m) => m.severity === 2 && m.ruleId && BOUNDARY_RULES.has(m.ruleId)).map((m) => m.message)
}

async function expectRefused(filePath: string, code: string): Promise<void> {
  expect(await boundaryErrors(filePath, code), `${filePath}: ${code}`).toHaveLength(1)
}

async function expectAllowed(filePath: string, code: string): Promise<void> {
  expect(await boundaryErrors(filePath, code), `${filePath}: ${code}`).toEqual([])
}

describe('tests never read the machine’s clock', () => {
  it('refuses new Date() and Date.now() in tests, and allows a given instant or the monotonic clock', async () => {
    await expectRefused('test/unit/x.test.ts', 'export const at = new Date()')
    await expectRefused('test/e2e/x.spec.ts', 'export const at = Date.now()')
    await expectAllowed('test/unit/x.test.ts', "export const at = [new Date('2026-11-25T15:00:00Z'), performance.now()]")
    await expectAllowed('test/clock.ts', 'export const at = Date.now()')
  })
})

describe('db/ knows nothing of Electron', () => {
  it('refuses electron and the electron/ and renderer/ folders', async () => {
    await expectRefused('db/x.ts', "import { app } from 'electron'\nexport const a = app")
    await expectRefused('db/services/x.ts', "import type { App } from 'electron'\nexport type A = App")
    await expectRefused('db/services/x.ts', "export { dispatch } from '../../electron/ipc/dispatch'")
    await expectRefused('db/x.ts', "import '../renderer/src/bridge'")
    await expectRefused('db/x.ts', "import { autoUpdater } from 'electron-updater'\nexport const u = autoUpdater")
  })

  it('allows its own modules and data libraries', async () => {
    await expectAllowed('db/x.ts', "import { z } from 'zod'\nimport { sql } from 'kysely'\nimport { readFileSync } from 'node:fs'\nexport const a = [z, sql, readFileSync]")
    await expectAllowed('db/services/x.ts', "import { ServiceError } from './context'\nexport const e = ServiceError")
  })
})

describe('the renderer knows nothing of SQL, Node or main', () => {
  const file = 'renderer/src/x.ts'

  it('refuses Electron', async () => {
    await expectRefused(file, "import { ipcRenderer } from 'electron'\nexport const r = ipcRenderer")
    await expectRefused('renderer/src/screens/X.tsx', "import { app } from 'electron/main'\nexport const a = app")
    await expectRefused('renderer/src/updates/X.tsx', "import { autoUpdater } from 'electron-updater'\nexport const u = autoUpdater")
    await expectRefused('electron/updates/x.ts', "import { autoUpdater } from 'electron-updater'\nexport const u = autoUpdater")
    await expectAllowed('electron/main/x.ts', "import { autoUpdater } from 'electron-updater'\nexport const u = autoUpdater")
  })

  it('refuses the database driver, kysely and anything under db/ but db/domain, even type-only', async () => {
    await expectRefused(file, "import Database from 'better-sqlite3-multiple-ciphers'\nexport const d = Database")
    await expectRefused(file, "import { sql } from 'kysely'\nexport const s = sql")
    await expectRefused(file, "import '../../db/open'")
    await expectRefused('renderer/src/screens/deep/X.tsx', "import { openDatabase } from '../../../../db/open'\nexport const o = openDatabase")
    await expectRefused(file, "import type { Role } from '../../db/schema'\nexport type R = Role")
  })

  it('refuses Node built-ins, with or without node:', async () => {
    for (const name of ['node:fs', 'fs', 'fs/promises', 'path', 'child_process', 'crypto', 'os', 'node:crypto', 'http', 'worker_threads']) {
      await expectRefused(file, `import * as m from '${name}'\nexport const x = m`)
    }
  })

  it('refuses values from the contract, dispatcher, handlers and core, and anything from main or preload', async () => {
    await expectRefused(file, "import { contract } from '../../electron/ipc/contract'\nexport const c = contract")
    await expectRefused(file, "import { visitsChannels } from '../../electron/ipc/contract/visits'\nexport const c = visitsChannels")
    await expectRefused(file, "import { visitsHandlers } from '../../electron/ipc/handlers/visits'\nexport const h = visitsHandlers")
    await expectRefused(file, "import { dispatch } from '../../electron/ipc/dispatch'\nexport const d = dispatch")
    await expectRefused(file, "import { handlers } from '../../electron/ipc/handlers'\nexport const h = handlers")
    await expectRefused('renderer/src/hooks/x.ts', "import { PorchlightCore } from '../../../electron/ipc/core'\nexport const c = PorchlightCore")
    await expectRefused(file, "import { webPreferences } from '../../electron/main/window'\nexport const w = webPreferences")
    await expectRefused(file, "import '../../electron/preload/index'")
  })

  it('refuses the same through a dynamic import() or require()', async () => {
    await expectRefused(file, "export const m = () => import('../../db/open')")
    await expectRefused(file, "export const m = () => import('node:fs')")
    await expectRefused(file, "export const m = () => import('electron')")
    await expectRefused(file, "export const m = () => import('../../electron/ipc/contract')")
    await expectRefused(file, "export const m = () => import('kysely')")
    await expectRefused(file, "declare const require: (id: string) => unknown\nexport const m = require('react')")
  })

  it('allows type-only imports of the contract, the shared channel list and its own modules', async () => {
    await expectAllowed(file, "import type { InputOf, ResultOf } from '../../electron/ipc/contract'\nexport type I = InputOf<'app.status'> | ResultOf<'app.status'>")
    await expectAllowed(file, "import { type AppStatus } from '../../electron/ipc/contract'\nexport type A = AppStatus")
    await expectAllowed(file, "import type { AppStatus } from '../../electron/ipc/contract/app'\nexport type A = AppStatus")
    await expectAllowed(file, "import type { PorchlightCore } from '../../electron/ipc/core'\nexport type C = PorchlightCore")
    await expectAllowed(file, "import { CHANNELS } from '../../electron/ipc/channels'\nimport type { PorchlightApi } from '../../electron/ipc/api'\nexport const c: unknown = CHANNELS\nexport type P = PorchlightApi")
    await expectAllowed(file, "import { useState } from 'react'\nimport { errorMessage } from './lib/errors'\nexport const x = [useState, errorMessage]")
    await expectAllowed(file, "export const lazy = () => import('./screens/Dashboard')")
  })
})

describe('db/domain is the one part of db/ the renderer may import, and it imports nothing else', () => {
  it('is imported by the renderer (statically or lazily) and by db/', async () => {
    await expectAllowed('renderer/src/lib/x.ts', "import { PARTICIPANT_FIELDS } from '../../../db/domain'\nexport const f = PARTICIPANT_FIELDS")
    await expectAllowed('renderer/src/x.ts', "import type { ReferralStatus } from '../../db/domain/referrals'\nexport type S = ReferralStatus")
    await expectAllowed('renderer/src/x.ts', "export const m = () => import('../../db/domain')")
    await expectAllowed('db/types.ts', "export { REFERRAL_TYPES } from './domain'")
  })

  it('does not open the rest of db/ to the renderer, not even through db/domain/..', async () => {
    await expectRefused('renderer/src/x.ts', "import { ROLES } from '../../db/types'\nexport const r = ROLES")
    await expectRefused('renderer/src/x.ts', "import { openDatabase } from '../../db/domain/../open'\nexport const o = openDatabase")
    await expectRefused('renderer/src/x.ts', "import type { Role } from '../../db/domainish'\nexport type R = Role")
    await expectRefused('renderer/src/x.ts', "export const m = () => import('../../db/services/search')")
  })

  it('imports only its own files: no Node, SQL, kysely, packages or the rest of db/', async () => {
    await expectRefused('db/domain/x.ts', "import { sql } from 'kysely'\nexport const s = sql")
    await expectRefused('db/domain/x.ts', "import Database from 'better-sqlite3-multiple-ciphers'\nexport const d = Database")
    await expectRefused('db/domain/x.ts', "import { readFileSync } from 'node:fs'\nexport const r = readFileSync")
    await expectRefused('db/domain/x.ts', "import { z } from 'zod'\nexport const a = z")
    await expectRefused('db/domain/x.ts', "import type { Role } from '../types'\nexport type R = Role")
    await expectRefused('db/domain/x.ts', "import type { MessageRef } from '../../shared/messages'\nexport type M = MessageRef")
    await expectAllowed('db/domain/x.ts', "import { REFERRAL_TYPES } from './referrals'\nexport const r = REFERRAL_TYPES")
  })

  it('holds the real folder as written', async () => {
    for (const name of readdirSync(join(ROOT, 'db/domain'))) {
      await expectAllowed(`db/domain/${name}`, readFileSync(join(ROOT, 'db/domain', name), 'utf8'))
    }
  })
})

describe('shared/ is the one pure folder main and the renderer both import (the message catalog)', () => {
  it('imports only its own files: no db/, electron/, renderer/, Node or packages', async () => {
    await expectRefused('shared/messages/x.ts', "import { ServiceError } from '../../db/services/context'\nexport const e = ServiceError")
    await expectRefused('shared/messages/x.ts', "import type { IpcError } from '../../electron/ipc/envelope'\nexport type E = IpcError")
    await expectRefused('shared/messages/x.ts', "import { errorMessage } from '../../renderer/src/lib/errors'\nexport const m = errorMessage")
    await expectRefused('shared/messages/x.ts', "import { readFileSync } from 'node:fs'\nexport const r = readFileSync")
    await expectRefused('shared/messages/x.ts', "import i18next from 'i18next'\nexport const i = i18next")
    await expectAllowed('shared/messages/x.ts', "import { en } from './en'\nimport type { es } from './es'\nexport const a: unknown = en\nexport type S = typeof es")
  })

  it('is imported by the renderer, main, electron/ipc and db/', async () => {
    await expectAllowed('renderer/src/lib/x.ts', "import { formatMessage } from '../../../shared/messages'\nexport const f = formatMessage")
    await expectAllowed('electron/main/x.ts', "import { english } from '../../shared/messages'\nexport const e = english")
    await expectAllowed('electron/ipc/x.ts', "import { message } from '../../shared/messages'\nexport const m = message")
    await expectAllowed('db/services/x.ts', "import { formatMessage } from '../../shared/messages'\nexport const f = formatMessage")
  })
})

describe('electron/ipc stays free of Electron (the test host reuses it)', () => {
  it('refuses electron and main/preload code', async () => {
    await expectRefused('electron/ipc/x.ts', "import { ipcMain } from 'electron'\nexport const i = ipcMain")
    await expectRefused('electron/ipc/x.ts', "import { registerIpc } from '../main/ipc'\nexport const r = registerIpc")
  })

  it('allows db/ and zod', async () => {
    await expectAllowed('electron/ipc/x.ts', "import { z } from 'zod'\nimport { DbError } from '../../db/errors'\nexport const a = [z, DbError]")
  })
})

describe('the preload imports only electron, the channel list and the API builder', () => {
  it('refuses zod, the contract, Node and anything else', async () => {
    const preload = 'electron/preload/index.ts'
    await expectRefused(preload, "import { z } from 'zod'\nexport const a = z")
    await expectRefused(preload, "import { contract } from '../ipc/contract'\nexport const c = contract")
    await expectRefused(preload, "import { readFileSync } from 'node:fs'\nexport const r = readFileSync")
    await expectRefused(preload, "import { handlers } from '../ipc/handlers'\nexport const h = handlers")
  })

  it('allows the real preload as written', async () => {
    const source = readFileSync(join(ROOT, 'electron/preload/index.ts'), 'utf8')
    await expectAllowed('electron/preload/index.ts', source)
  })
})

describe('main', () => {
  it('may import Electron, Node and db/, but not the renderer', async () => {
    await expectAllowed('electron/main/x.ts', "import { app } from 'electron'\nimport { join } from 'node:path'\nimport { parseKey } from '../../db/keys'\nexport const a = [app, join, parseKey]")
    await expectRefused('electron/main/x.ts', "import { invoke } from '../../renderer/src/bridge'\nexport const i = invoke")
  })
})

describe('the renderer’s query hooks mirror the contract: one file per feature, calling only that feature’s channels', () => {
  const HOOKS = join(ROOT, 'renderer/src/hooks/queries')
  /** Files that hold what the features share (cache keys, the index) and call no channel. */
  const SHARED = new Set(['common.ts', 'index.ts'])

  async function channelsOf(feature: string): Promise<string[]> {
    const module = (await import(`../../electron/ipc/contract/${feature}.ts`)) as Record<string, object>
    return Object.keys(module[`${feature}Channels`] ?? {})
  }

  /** Every channel a hooks file names (in invoke() or a generic helper's argument) that its feature's contract file does not define. */
  async function misplaced(file: string, source: string): Promise<string[]> {
    const named = [...source.matchAll(/'([a-zA-Z]+\.[a-zA-Z]+)'/g)].map((m) => m[1]!).filter((name) => (CHANNELS as readonly string[]).includes(name))
    const owned = await channelsOf(file.replace(/\.ts$/, ''))
    return [...new Set(named.filter((name) => !owned.includes(name)))]
  }

  it('names a channel of another feature as misplaced, and its own as not', async () => {
    expect(await misplaced('visits.ts', "invoke('visits.today', {})\ninvoke('participants.get', { id: 1 })")).toEqual(['participants.get'])
    expect(await misplaced('catalog.ts', "export const useAddService = () => useCatalogMutation('catalog.add')")).toEqual([])
  })

  it('holds the real folder: each file has a contract file of the same name and calls only its channels', async () => {
    const files = readdirSync(HOOKS).filter((name) => !SHARED.has(name))
    expect(files.length).toBeGreaterThan(10)
    for (const file of files) {
      expect(await channelsOf(file.replace(/\.ts$/, '')), `${file} has no electron/ipc/contract/${file}`).not.toEqual([])
      expect(await misplaced(file, readFileSync(join(HOOKS, file), 'utf8')), file).toEqual([])
    }
  })
})
