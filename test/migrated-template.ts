import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateKey, keyToHex } from '../db/keys'
import { createDatabase } from '../db/open'

/** A closed database at the current schema, made by the real migrations, for useMigratedTemplate (db/open.ts). */
export interface TemplateFile {
  file: string
  keyHex: string
  remove(): void
}

export async function makeMigratedTemplate(): Promise<TemplateFile> {
  const dir = mkdtempSync(join(tmpdir(), 'porchlight-template-'))
  const key = generateKey()
  const file = join(dir, 'template.db')
  const opened = await createDatabase(file, key)
  await opened.close()
  return { file, keyHex: keyToHex(key), remove: () => rmSync(dir, { recursive: true, force: true }) }
}
