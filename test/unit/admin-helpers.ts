import { runAdmin, type AdminIo } from '../../db/cli/admin'

export interface AdminRun {
  code: number
  stdout: string
  stderr: string
}

/** `npm run admin -- …` in-process, with its output captured and an environment of the test's choosing. */
export async function admin(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<AdminRun> {
  const out: string[] = []
  const err: string[] = []
  const io: AdminIo = { stdout: (line) => out.push(line), stderr: (line) => err.push(line), env }
  const code = await runAdmin(argv, io)
  return { code, stdout: out.join('\n'), stderr: err.join('\n') }
}
