import { afterEach, describe, expect, it } from 'vitest'
import { hashPassword, PASSWORD_COST, TEST_PASSWORD_COST, useTestPasswordCost, verifyPassword } from '../../db/services/passwords'

/**
 * Every other test hashes at TEST_PASSWORD_COST (setup.ts): here, once, the cost the app itself
 * hashes at, and that the cheaper hashes tests make are checked the same way.
 */
describe('staff password hashes', () => {
  afterEach(() => useTestPasswordCost(true))

  it('are made at scrypt N=2^15, r=8, p=1 by the app, and check the password', async () => {
    useTestPasswordCost(false)
    expect(PASSWORD_COST).toEqual({ N: 2 ** 15, r: 8, p: 1 })
    const stored = await hashPassword('correct horse battery')
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/)
    expect(await verifyPassword('correct horse battery', stored)).toBe(true)
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false)
    // A new salt each time.
    expect(await hashPassword('correct horse battery')).not.toBe(stored)
  })

  it("a test's cheaper hash carries its own N and is checked by it, and the app's hashes still check beside it", async () => {
    useTestPasswordCost(false)
    const app = await hashPassword('correct horse battery')
    useTestPasswordCost(true)
    const cheap = await hashPassword('correct horse battery')
    expect(cheap.startsWith(`scrypt$${TEST_PASSWORD_COST.N}$8$1$`)).toBe(true)
    expect(TEST_PASSWORD_COST.N).toBeLessThan(PASSWORD_COST.N)
    expect(await verifyPassword('correct horse battery', cheap)).toBe(true)
    expect(await verifyPassword('wrong', cheap)).toBe(false)
    expect(await verifyPassword('correct horse battery', app)).toBe(true)
  })
})
