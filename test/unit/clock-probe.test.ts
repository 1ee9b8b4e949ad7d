import { readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { DATE_SENSITIVE } from '../date-sensitive'
import { attribute, CHECKED, ROOT, takeClockReads } from './clock-probe'

const at = (...frames: string[]) => ['Error: ', '    at note (/repo/test/unit/clock-probe.ts:10:5)', ...frames.map((frame) => `    at ${frame}`)].join('\n')

describe('the clock probe', () => {
  it("names our line that read the clock, through a library that read it for us, and not the runner's or the log's", () => {
    expect(attribute(at('localDate (/repo/db/services/context.ts:89:12)', 'file:///repo/node_modules/vitest/dist/run.js:1:2'), '/repo/')).toBe('db/services/context.ts:89')
    expect(attribute(at('parse (/repo/node_modules/date-fns/parse.js:5:1)', 'parseDay (/repo/db/services/records-import/values.ts:37:16)'), '/repo/')).toBe('db/services/records-import/values.ts:37')
    expect(attribute(at('/repo/node_modules/vitest/dist/run.js:1:2', 'x (/repo/db/services/groups.ts:3:3)'), '/repo/')).toBeNull()
    expect(attribute(at('write (/repo/node_modules/pino/pino.js:1:2)', 'info (/repo/db/log.ts:40:3)'), '/repo/')).toBeNull()
    expect(attribute(at('up (/repo/db/migrations/0001_initial.ts:107:15)'), '/repo/')).toBeNull()
    expect(attribute(at('now (/repo/test/clock.ts:15:16)', 'step (/repo/db/services/groups.ts:3:3)'), '/repo/')).toBeNull()
    expect(attribute(at('async /repo/test/unit/groups.test.ts:55:7'), '/repo/')).toBe('test/unit/groups.test.ts:55')
  })

  it("is in for every test file, and catches a read of the machine's zone in this one", () => {
    takeClockReads()
    const local = new Date(2027, 2, 14, 2, 30)
    expect(local.getHours()).toBeGreaterThanOrEqual(0)
    const { reads, removed } = takeClockReads()
    expect(removed).toBeNull()
    expect(reads.map((read) => `${read.kind} ${read.what} ${read.at.replace(/:\d+$/, '')}`)).toEqual([
      'zone new Date(year, month, ...) test/unit/clock-probe.test.ts',
      'zone Date#getHours() test/unit/clock-probe.test.ts',
    ])
    expect(ROOT.endsWith('/')).toBe(true)
    // And setup.ts (vitest's setupFiles) has registered the check that fails a file on its reads.
    expect((globalThis as { [CHECKED]?: boolean })[CHECKED]).toBe(true)
  })

  it('has a reason for each date-sensitive file, and each of them exists', () => {
    const files = readdirSync(new URL('.', import.meta.url))
    for (const [name, reason] of Object.entries(DATE_SENSITIVE)) {
      expect(files, name).toContain(name)
      expect(reason.length, name).toBeGreaterThan(10)
    }
  })
})
