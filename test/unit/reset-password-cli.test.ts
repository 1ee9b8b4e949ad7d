import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EXIT, runAdmin, type AdminIo } from '../../db/cli/admin'
import { generateKey } from '../../db/keys'
import { FileKeyStore } from '../../db/keystore-file'
import { createDatabase, openDatabase } from '../../db/open'
import { verifyAuditChain } from '../../db/services/audit'
import { completeSetup } from '../../db/services/setup'
import { MAX_FAILED_LOGINS, signInStaff } from '../../db/services/staff'
import { changeOwnPassword, createStaff, listStaff } from '../../db/services/staff-accounts'
import { TEST_START } from '../clock'
import { context, sha256File, useTempDirs } from './helpers'

const tempDir = useTempDirs()
const at = (minutes: number) => () => new Date(Date.parse(TEST_START) + minutes * 60_000)

/** A center whose only admin, ana, has locked herself out with wrong passwords. */
async function lockedOutCenter() {
  const dir = tempDir()
  const file = join(dir, 'porchlight.db')
  const keyFile = join(dir, 'center.key')
  const key = generateKey()
  new FileKeyStore(keyFile).save(key)
  const opened = await createDatabase(file, key)
  const ctx = context(opened, { now: at(0) })
  await completeSetup(ctx, { centerName: 'Harbor House', adminName: 'Ana Reyes', username: 'ana', password: 'a long enough password' })
  await createStaff(context(opened, { now: at(0), staffId: 1 }), { username: 'kofi', displayName: 'Kofi M.', role: 'peer_specialist', password: 'another long password' })
  for (let i = 0; i < MAX_FAILED_LOGINS; i++) await signInStaff(ctx, 'ana', 'not it').catch(() => undefined)
  await expect(signInStaff(ctx, 'ana', 'a long enough password')).rejects.toMatchObject({ code: 'LOCKED_OUT' })
  await opened.close()
  return { file, keyFile, key }
}

async function resetPassword(argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const io: AdminIo = { stdout: (line) => out.push(line), stderr: (line) => err.push(line), env: {}, now: at(1), timeZone: 'UTC' }
  const code = await runAdmin(['reset-password', ...argv], io)
  return { code, stdout: out.join('\n'), stderr: err.join('\n') }
}

describe('admin reset-password', () => {
  it('sets a one-time password that lifts the lockout, forces a change at sign-in, and is audited', async () => {
    const center = await lockedOutCenter()
    const run = await resetPassword(['--db', center.file, '--key-file', center.keyFile, '--username', 'ana'])
    expect(run.code).toBe(EXIT.OK)
    expect(run.stdout).toContain('One-time password for Ana Reyes (ana, admin):')
    const password = /^ {4}(\S+)$/m.exec(run.stdout)?.[1]
    expect(password).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/)

    const opened = await openDatabase(center.file, center.key)
    const ctx = context(opened, { now: at(2) })
    await expect(signInStaff(ctx, 'ana', 'a long enough password')).rejects.toMatchObject({ code: 'AUTH_FAILED' })
    const signedIn = await signInStaff(ctx, 'ana', password!)
    expect(signedIn.mustChangePassword).toBe(true)
    await changeOwnPassword({ ...ctx, staffId: signedIn.staff.id }, password!, 'her own new password')
    expect((await signInStaff(ctx, 'ana', 'her own new password')).mustChangePassword).toBe(false)

    const audit = await opened.db.selectFrom('audit_log').select(['staff_id', 'action', 'target_id', 'detail']).where('action', '=', 'staff.reset_password').execute()
    expect(audit).toEqual([{ staff_id: null, action: 'staff.reset_password', target_id: signedIn.staff.id, detail: JSON.stringify({ via: 'admin reset-password' }) }])
    expect((await verifyAuditChain(opened.db)).firstBroken).toBeNull()
    // Never written anywhere but the screen: not in the audit log.
    const everything = await opened.db.selectFrom('audit_log').select('detail').execute()
    expect(JSON.stringify(everything)).not.toContain(password)
    await opened.close()
  })

  it('refuses an unknown or deactivated username, naming the active admins, changing nothing', async () => {
    const center = await lockedOutCenter()
    const before = sha256File(center.file)
    const run = await resetPassword(['--db', center.file, '--key-file', center.keyFile, '--username', 'anna'])
    expect(run.code).toBe(EXIT.STAFF_REFUSED)
    expect(run.stderr).toBe('No staff account is named "anna". Nothing was changed. Active admins: ana.')
    expect(sha256File(center.file)).toBe(before)

    const opened = await openDatabase(center.file, center.key)
    expect((await listStaff(context(opened))).map((staff) => staff.username)).toEqual(['ana', 'kofi'])
    await opened.close()
  })

  it('asks for the username and the key', async () => {
    const center = await lockedOutCenter()
    expect((await resetPassword(['--db', center.file, '--key-file', center.keyFile])).stderr).toMatch(/^reset-password needs --username NAME\./)
    const wrongKey = join(tempDir(), 'other.key')
    new FileKeyStore(wrongKey).save(generateKey())
    expect((await resetPassword(['--db', center.file, '--key-file', wrongKey, '--username', 'ana'])).code).toBe(EXIT.DB_WRONG_KEY)
  })
})
