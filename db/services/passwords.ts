import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto'

const scrypt = (password: string, salt: Buffer, length: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCallback(password, salt, length, options, (error, key) => (error ? reject(error) : resolve(key))),
  )

// OWASP's scrypt floor is N=2^17 with r=8; 2^15 keeps sign-in under ~100 ms on a modest front-desk PC.
export const PASSWORD_COST = { N: 2 ** 15, r: 8, p: 1 } as const
const KEY_LENGTH = 32

let cost: { N: number; r: number; p: number } = PASSWORD_COST

/** What tests hash at: N=2^10 (1 MiB, a few ms) instead of 2^15 (32 MiB, ~0.2 s of CPU). */
export const TEST_PASSWORD_COST = { ...PASSWORD_COST, N: 2 ** 10 } as const

/**
 * Tests only: hashes made from now on in this process use TEST_PASSWORD_COST (`false` goes back).
 * The test suites make hundreds of accounts; a stored hash carries its own N, so sign-in and every
 * check work the same. Refused inside Electron, so the app always hashes at PASSWORD_COST
 * (passwords.test.ts checks that cost).
 */
export function useTestPasswordCost(on: boolean): void {
  if (process.versions.electron) throw new Error('useTestPasswordCost is for tests, never for the app')
  cost = on ? TEST_PASSWORD_COST : PASSWORD_COST
}

/** Format: scrypt$N$r$p$saltB64$hashB64, so parameters can be raised later without breaking old hashes. */
export async function hashPassword(password: string): Promise<string> {
  const { N, r, p } = cost
  const salt = randomBytes(16)
  const hash = await scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { N, r, p, maxmem: 64 * 1024 * 1024 })
  return ['scrypt', N, r, p, salt.toString('base64'), hash.toString('base64')].join('$')
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, rr, pp, saltB64, hashB64] = stored.split('$')
  if (scheme !== 'scrypt' || !saltB64 || !hashB64) return false
  const expected = Buffer.from(hashB64, 'base64')
  const actual = await scrypt(password.normalize('NFC'), Buffer.from(saltB64, 'base64'), expected.length, {
    N: Number(n),
    r: Number(rr),
    p: Number(pp),
    maxmem: 64 * 1024 * 1024,
  })
  return timingSafeEqual(actual, expected)
}
