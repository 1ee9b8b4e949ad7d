import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EXIT, runAdmin, type AdminIo } from '../../db/cli/admin'
import { FileKeyStore } from '../../db/keystore-file'
import { openDatabase } from '../../db/open'
import { createParticipant } from '../../db/services/participants'
import { signIn } from '../../db/services/visits'
import { context, sha256File, tableCounts, useTempDirs } from './helpers'
import { runningClock } from '../clock'

const tempDir = useTempDirs()

interface Run {
  code: number
  stdout: string
  stderr: string
  progress: string
}

/** One clock for the file, running from TEST_START: two backups a second apart get two names. */
const time = runningClock()

async function admin(argv: string[], answer?: string): Promise<Run> {
  const out: string[] = []
  const err: string[] = []
  const bar: string[] = []
  const io: AdminIo = {
    stdout: (line) => out.push(line),
    stderr: (line) => err.push(line),
    env: {},
    now: time,
    progress: { write: (text) => bar.push(text) },
    ...(answer !== undefined ? { ask: async () => answer } : {}),
  }
  const code = await runAdmin(argv, io)
  return { code, stdout: out.join('\n'), stderr: err.join('\n'), progress: bar.join('') }
}

async function center(people = 12): Promise<{ dir: string; db: string; keyFile: string }> {
  const dir = tempDir()
  const db = join(dir, 'center.db')
  const keyFile = join(dir, 'center.key')
  expect((await admin(['init', '--db', db, '--key-file', keyFile])).code).toBe(EXIT.OK)
  const opened = await openDatabase(db, new FileKeyStore(keyFile).load())
  const ctx = context(opened)
  for (let i = 0; i < people; i++) {
    const person = await createParticipant(ctx, { firstName: `Cli${i}` })
    await signIn(ctx, { participantId: person.id, services: [{ serviceId: 1, quantity: 1 }] })
  }
  await opened.close()
  return { dir, db, keyFile }
}

async function counts(db: string, keyFile: string): Promise<Record<string, number>> {
  const opened = await openDatabase(db, new FileKeyStore(keyFile).load(), { readonly: true })
  try {
    return tableCounts(opened)
  } finally {
    await opened.close()
  }
}

function onlyBackup(folder: string): string {
  const files = readdirSync(folder).filter((name) => name.endsWith('.db'))
  expect(files).toHaveLength(1)
  return join(folder, files[0]!)
}

describe('admin backup and restore', () => {
  it('backup → damage the live file → restore --yes: every row back, the damaged file kept aside', async () => {
    const { dir, db, keyFile } = await center()
    const before = await counts(db, keyFile)
    const usb = join(dir, 'usb')
    mkdirSync(usb)
    const hashBefore = sha256File(db)
    const made = await admin(['backup', '--db', db, '--key-file', keyFile, '--to', usb])
    expect(made.code, made.stderr).toBe(EXIT.OK)
    expect(made.stdout).toMatch(/written and verified/)
    expect(made.progress).toMatch(/copying.*verifying.*done/s)
    // The backup never writes to the database it copies.
    expect(sha256File(db)).toBe(hashBefore)
    const backup = onlyBackup(usb)
    expect(existsSync(`${backup}.json`)).toBe(true)

    const bytes = readFileSync(db)
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff
    writeFileSync(db, bytes)
    const damaged = sha256File(db)

    const restored = await admin(['restore', '--db', db, '--key-file', keyFile, '--from', backup, '--yes'])
    expect(restored.code, restored.stderr).toBe(EXIT.OK)
    expect(restored.stdout).toMatch(/12 participants, 12 visits/)
    const aside = /kept at (.+?);/.exec(restored.stdout)![1]!
    expect(sha256File(aside)).toBe(damaged)
    expect(await counts(db, keyFile)).toEqual(before)
  })

  it('asks on a terminal: anything but RESTORE changes nothing; with no terminal and no --yes it refuses', async () => {
    const { dir, db, keyFile } = await center(2)
    const usb = join(dir, 'usb')
    mkdirSync(usb)
    expect((await admin(['backup', '--db', db, '--key-file', keyFile, '--to', usb])).code).toBe(EXIT.OK)
    const backup = onlyBackup(usb)
    const hash = sha256File(db)

    const declined = await admin(['restore', '--db', db, '--key-file', keyFile, '--from', backup], 'no')
    expect(declined.code).toBe(EXIT.NOT_CONFIRMED)
    const unattended = await admin(['restore', '--db', db, '--key-file', keyFile, '--from', backup])
    expect(unattended.code).toBe(EXIT.NOT_CONFIRMED)
    expect(unattended.stderr).toMatch(/--yes/)
    expect(sha256File(db)).toBe(hash)

    const confirmed = await admin(['restore', '--db', db, '--key-file', keyFile, '--from', backup], 'RESTORE')
    expect(confirmed.code).toBe(EXIT.OK)
  })

  it('refuses a foreign file, a backup under another key and a truncated backup; the live file stays byte-identical', async () => {
    const { dir, db, keyFile } = await center(3)
    const usb = join(dir, 'usb')
    mkdirSync(usb)
    expect((await admin(['backup', '--db', db, '--key-file', keyFile, '--to', usb])).code).toBe(EXIT.OK)
    const backup = onlyBackup(usb)
    const hash = sha256File(db)

    const other = await center(1)
    const otherUsb = join(other.dir, 'usb')
    mkdirSync(otherUsb)
    expect((await admin(['backup', '--db', other.db, '--key-file', other.keyFile, '--to', otherUsb])).code).toBe(EXIT.OK)
    const anotherKey = await admin(['restore', '--db', db, '--key-file', keyFile, '--from', onlyBackup(otherUsb), '--yes'])
    expect(anotherKey.code).toBe(EXIT.RESTORE_REFUSED)
    expect(anotherKey.stderr).toMatch(/different key/)

    const notes = join(dir, 'notes.txt')
    writeFileSync(notes, 'shopping list\n'.repeat(1000))
    const foreign = await admin(['restore', '--db', db, '--key-file', keyFile, '--from', notes, '--yes'])
    expect(foreign.code).toBe(EXIT.RESTORE_REFUSED)

    // Cut short (a copy interrupted by pulling the drive), with and without its manifest.
    const truncated = join(dir, 'porchlight-20261101-120000.db')
    writeFileSync(truncated, readFileSync(backup).subarray(0, 4096 * 2 + 100))
    expect((await admin(['restore', '--db', db, '--key-file', keyFile, '--from', truncated, '--yes'])).code).toBe(EXIT.RESTORE_REFUSED)
    writeFileSync(backup, readFileSync(backup).subarray(0, readFileSync(backup).length - 4096))
    const cut = await admin(['restore', '--db', db, '--key-file', keyFile, '--from', backup, '--yes'])
    expect(cut.code).toBe(EXIT.RESTORE_REFUSED)

    expect(sha256File(db)).toBe(hash)
    expect(readdirSync(dir).filter((name) => name.includes('before-restore') || name.endsWith('.restoring'))).toEqual([])
  })

  it('backup to a missing or read-only folder: a clear error, nothing left behind, the database untouched', async () => {
    const { dir, db, keyFile } = await center(2)
    const hash = sha256File(db)
    const missing = await admin(['backup', '--db', db, '--key-file', keyFile, '--to', join(dir, 'not-plugged-in')])
    expect(missing.code).toBe(EXIT.BACKUP_FOLDER)
    expect(missing.stderr).toMatch(/does not exist/)

    const locked = join(dir, 'locked')
    mkdirSync(locked)
    chmodSync(locked, 0o555)
    try {
      const readOnly = await admin(['backup', '--db', db, '--key-file', keyFile, '--to', locked])
      if (process.getuid?.() === 0) {
        // root writes through permission bits; the read-only mount case is in backup-bad-input.test.ts.
        expect(readOnly.code).toBe(EXIT.OK)
      } else {
        expect(readOnly.code).toBe(EXIT.BACKUP_FOLDER)
        expect(readOnly.stderr).toMatch(/cannot write/)
        expect(readdirSync(locked)).toEqual([])
      }
    } finally {
      chmodSync(locked, 0o755)
    }
    expect(sha256File(db)).toBe(hash)
  })

  it('rotates with --keep-daily/--keep-weekly, and refuses options of other commands', async () => {
    const { dir, db, keyFile } = await center(1)
    const usb = join(dir, 'usb')
    mkdirSync(usb)
    // Three old backups of the same day, made by copying one under older names.
    expect((await admin(['backup', '--db', db, '--key-file', keyFile, '--to', usb])).code).toBe(EXIT.OK)
    const first = onlyBackup(usb)
    for (const stamp of ['20200101-090000', '20200101-100000']) {
      writeFileSync(join(usb, `porchlight-${stamp}.db`), readFileSync(first))
    }
    const run = await admin(['backup', '--db', db, '--key-file', keyFile, '--to', usb, '--keep-daily', '1', '--keep-weekly', '0'])
    expect(run.code, run.stderr).toBe(EXIT.OK)
    expect(run.progress).toMatch(/rotating/)
    expect(readdirSync(usb).filter((name) => name.endsWith('.db'))).toHaveLength(1)
    expect((await admin(['verify', '--db', db, '--key-file', keyFile, '--to', usb])).code).toBe(EXIT.USAGE)
    expect((await admin(['backup', '--db', db, '--key-file', keyFile, '--to', usb, '--yes'])).code).toBe(EXIT.USAGE)
    expect((await admin(['backup', '--db', db, '--key-file', keyFile])).stderr).toMatch(/--to/)
  })
})
