import { runAdmin, type AdminIo } from '../../db/cli/admin'
import { runningClock } from '../clock'

export interface AdminRun {
  code: number
  stdout: string
  stderr: string
}

/** One clock for the test file, running from TEST_START. */
const time = runningClock()

/**
 * `npm run admin -- …` in-process, with its output captured and an environment of the test's
 * choosing, on the tests' clock and zone rather than the computer's.
 */
export async function admin(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<AdminRun> {
  const out: string[] = []
  const err: string[] = []
  const io: AdminIo = { stdout: (line) => out.push(line), stderr: (line) => err.push(line), env, now: time, timeZone: 'UTC' }
  const code = await runAdmin(argv, io)
  return { code, stdout: out.join('\n'), stderr: err.join('\n') }
}
