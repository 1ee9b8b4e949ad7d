import { spawn } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { generateKey, keyToHex } from '../../db/keys'
import { createDatabase, openDatabase, useMigratedTemplate } from '../../db/open'
import { bundleFixture, childEnv, random } from './fixture-child'
import { useTempDirs } from './helpers'

// This file proves creation, migrations or what a crash leaves: its databases are made for real,
// not copied from the run's migrated template (test/unit/setup.ts).
useMigratedTemplate(null)

/**
 * Durability under crashes: a child process signs people in through the service layer on an
 * encrypted database and is killed with SIGKILL at random moments. After each kill the file must
 * open, pass integrity_check, and hold every sign-in the child reported as committed.
 * PORCHLIGHT_CRASH_KILLS sets the number of kills (CI: 50; `npm run test:soak`: 200).
 */
const KILLS = Number(process.env.PORCHLIGHT_CRASH_KILLS ?? (process.env.npm_lifecycle_event === 'test:soak' ? 200 : 50))
const tempDir = useTempDirs()
let childScript = ''

beforeAll(() => {
  childScript = bundleFixture('crash-child', tempDir())
})

function runAndKill(file: string, keyHex: string, start: number, killAfterMs: number): Promise<number[]> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [childScript, file, keyHex, String(start)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: childEnv(),
    })
    const acked: number[] = []
    let buffered = ''
    let stderr = ''
    let timer: NodeJS.Timeout | undefined
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      for (const line of lines) {
        if (line === 'ready') timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs)
        else if (line.startsWith('ack ')) acked.push(Number(line.slice(4)))
      }
    })
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('exit', (_code, signal) => {
      clearTimeout(timer)
      if (signal !== 'SIGKILL') reject(new Error(`the child stopped by itself: ${stderr}`))
      else resolveRun(acked)
    })
  })
}

describe('crash durability', () => {
  it(`loses no acknowledged sign-in across ${KILLS} SIGKILLs`, async () => {
    const dir = tempDir()
    const file = join(dir, 'crash.db')
    const key = generateKey()
    await (await createDatabase(file, key)).close()
    const next = random(KILLS * 7919)
    let acknowledged = 0
    let lost = 0
    let start = 1
    for (let kill = 0; kill < KILLS; kill++) {
      const acked = await runAndKill(file, keyToHex(key), start, 20 + Math.floor(next() * 250))
      acknowledged += acked.length
      start += acked.length + 1000
      // Reopening runs the full integrity_check; a damaged file would throw DB_DAMAGED here.
      const opened = await openDatabase(file, key)
      const present = new Set(
        (opened.sqlite.prepare(`SELECT note FROM visits WHERE note LIKE 'crash-%'`).pluck().all() as string[]).map((note) => Number(note.slice(6))),
      )
      await opened.close()
      lost += acked.filter((n) => !present.has(n)).length
    }
    const report = { kills: KILLS, acknowledgedWrites: acknowledged, lostWrites: lost }
    mkdirSync('test-results', { recursive: true })
    writeFileSync(join('test-results', 'crash-report.json'), `${JSON.stringify(report, null, 2)}\n`)
    console.log(`crash durability: ${KILLS} kills, ${acknowledged} acknowledged sign-ins, ${lost} lost`)
    expect(acknowledged).toBeGreaterThan(KILLS)
    expect(lost).toBe(0)
  }, 600_000)
})
