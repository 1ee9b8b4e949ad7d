import { chmodSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { describeError, log, logStatus, redact, startLogFile, stopLogFile } from '../../db/log'
import { useTempDirs } from './helpers'

const tempDir = useTempDirs()

afterEach(async () => {
  await stopLogFile()
})

function logFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.startsWith('porchlight.') && name.endsWith('.log'))
    .sort()
}

function allLines(dir: string): string {
  return logFiles(dir)
    .map((name) => readFileSync(join(dir, name), 'utf8'))
    .join('')
}

/** What a careless caller might build: the person's details inside an error's message. */
function errorAboutAPerson(): Error {
  const error = new Error(`Could not save Maria Elena Lopez (code PL-0042, phone (555) 201-3344, born 1987-04-12, maria.lopez@example.org) because 'her notes: relapse in May' were too long`)
  ;(error as Error & { code: string }).code = 'SQLITE_CONSTRAINT'
  return error
}

describe('the redaction rule', () => {
  it('removes a name, a code, a phone, a birth date, an e-mail and quoted text from a hand-made error, and keeps what went wrong', () => {
    const logged = describeError(errorAboutAPerson())
    const text = JSON.stringify(logged)
    for (const secret of ['Maria', 'Elena', 'Lopez', 'PL-0042', '0042', '555', '201-3344', '1987', 'example.org', 'relapse', 'May']) {
      expect(text).not.toContain(secret)
    }
    expect(logged.message).toMatch(/^Could not save ‹…›/)
    expect(logged.message).toContain('were too long')
    expect(logged.type).toBe('Error')
    expect(logged.code).toBe('SQLITE_CONSTRAINT')
    // The stack keeps code locations (this file), not the message.
    expect(logged.stack).toMatch(/log\.test\.ts/)
    expect(logged.stack).not.toContain('Maria')
  })

  it('keeps code words and small numbers: the line still says what failed', () => {
    expect(redact('UNIQUE constraint failed: participants.code')).toBe('UNIQUE constraint failed: participants.code')
    expect(redact('SQLITE_BUSY: database is locked after 2 tries')).toBe('SQLITE_BUSY: database is locked after 2 tries')
    expect(redact(`ENOSPC: no space left on device, write ${join(homedir(), 'backups')}`)).toBe(`ENOSPC: no space left on device, write ${join('~', 'backups')}`)
  })

  it('redacts names also in the structured fields of a line', async () => {
    const dir = tempDir()
    await startLogFile(dir)
    log.warn('test.field', { reason: 'Asked for by Dana Reyes at 555-0100' })
    await stopLogFile()
    const text = allLines(dir)
    expect(text).toContain('"event":"test.field"')
    expect(text).not.toContain('Dana')
    expect(text).not.toContain('555')
  })
})

describe('the log file', () => {
  it('writes one JSON line per event, with the level, and an error with its stack', async () => {
    const dir = tempDir()
    expect(await startLogFile(dir)).toBe(true)
    expect(logStatus()).toEqual({ dir, writing: true, problem: null })
    log.info('startup.open', { ms: 12 })
    log.error('ipc.internal', errorAboutAPerson(), { channel: 'participants.create' })
    await stopLogFile()
    const lines = allLines(dir).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(lines.map((line) => [line.level, line.event])).toEqual([
      ['info', 'startup.open'],
      ['error', 'ipc.internal'],
    ])
    expect((lines[1]!.err as { stack: string }).stack).toMatch(/^\s+at /)
    expect(allLines(dir)).not.toContain('Lopez')
  })

  it('rotates by size and keeps only the newest files', async () => {
    const dir = tempDir()
    await startLogFile(dir, { size: '2k', keep: 2 })
    for (let i = 0; i < 200; i++) {
      log.info('test.filler', { step: i, text: 'a line long enough to fill two kilobytes in a few dozen writes' })
      // pino-roll removes the oldest files after a roll, asynchronously: let it run between writes.
      await new Promise((resolve) => setImmediate(resolve))
    }
    await stopLogFile()
    // Old files are removed after a roll, asynchronously.
    await new Promise((resolve) => setTimeout(resolve, 100))
    const files = logFiles(dir)
    expect(files.length).toBeGreaterThan(1)
    expect(files.length).toBeLessThanOrEqual(3)
    for (const name of files.slice(0, -1)) expect(statSync(join(dir, name)).size).toBeGreaterThanOrEqual(2048)
    // The newest lines are all there, in the newest file.
    expect(allLines(dir)).toContain('"step":199')
  })

  it('starts a new file when the current one is deleted while running', async () => {
    const dir = tempDir()
    await startLogFile(dir)
    log.info('test.before')
    await new Promise((resolve) => setTimeout(resolve, 20))
    for (const name of logFiles(dir)) rmSync(join(dir, name))
    log.info('test.after')
    await stopLogFile()
    expect(allLines(dir)).toContain('"event":"test.after"')
  })

  it('a folder that cannot be written: nothing throws, and the status says where it could not write', async () => {
    const parent = tempDir()
    chmodSync(parent, 0o500)
    try {
      const dir = join(parent, 'logs')
      // root ignores permission bits: then the folder is writable and the log simply works.
      const wrote = await startLogFile(dir)
      if (!wrote) {
        expect(logStatus().writing).toBe(false)
        expect(logStatus().problem).toContain(dir.split(homedir()).join('~'))
      }
      expect(() => log.info('test.nowhere')).not.toThrow()
    } finally {
      chmodSync(parent, 0o700)
    }
  })
})
