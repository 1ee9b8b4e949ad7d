import { createHmac, pbkdf2Sync } from 'node:crypto'
import type { DbKey } from './keys'

/**
 * SQLCipher 4 default page format (what `cipher='sqlcipher', legacy=4` writes):
 * 4096-byte pages; page 1 starts with a 16-byte plaintext salt; each page ends with
 * 80 reserved bytes: a 16-byte IV then a 64-byte HMAC-SHA512 over the page's
 * ciphertext + IV + little-endian page number. The HMAC key is PBKDF2-SHA512
 * (2 rounds) of the raw key with the salt XOR 0x3a.
 *
 * Checking these MACs in Node lets Porchlight tell a wrong key from a damaged file
 * without letting SQLite open (and possibly write to) the file first.
 */
export const PAGE_SIZE = 4096
const SALT_SIZE = 16
const IV_SIZE = 16
const HMAC_SIZE = 64
const RESERVE = IV_SIZE + HMAC_SIZE

export function hmacKeyFor(key: DbKey, salt: Buffer): Buffer {
  const hmacSalt = Buffer.from(salt.map((b) => b ^ 0x3a))
  return pbkdf2Sync(key, hmacSalt, 2, 32, 'sha512')
}

export function pageMacMatches(page: Buffer, pageNumber: number, hmacKey: Buffer): boolean {
  if (page.length !== PAGE_SIZE) return false
  const start = pageNumber === 1 ? SALT_SIZE : 0
  const macAt = PAGE_SIZE - RESERVE + IV_SIZE
  const pgno = Buffer.alloc(4)
  pgno.writeUInt32LE(pageNumber)
  const mac = createHmac('sha512', hmacKey).update(page.subarray(start, macAt)).update(pgno).digest()
  return mac.equals(page.subarray(macAt, macAt + HMAC_SIZE))
}
