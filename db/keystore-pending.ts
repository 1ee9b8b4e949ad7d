import { closeSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
import type { DbKey, KeyStore, PendingKey } from './keys'

/** Makes the new directory entry itself survive a power cut (POSIX only; Windows cannot open a folder for fsync). */
export function fsyncDirectory(dir: string): void {
  if (process.platform === 'win32') return
  const fd = openSync(dir, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

export function pendingPath(keyPath: string): string {
  return `${keyPath}.pending`
}

/**
 * The pending key as a second file of the same kind beside the key file (`<key file>.pending`,
 * wrapped the same way), so promoting it is one rename over the key file.
 */
export class PendingKeyFile implements PendingKey {
  constructor(
    private readonly keyPath: string,
    private readonly store: KeyStore & { readonly path: string },
  ) {}

  exists(): boolean {
    return this.store.exists()
  }

  load(passphrase?: string): DbKey | null {
    return this.store.load(passphrase)
  }

  save(key: DbKey, passphrase?: string): void {
    this.discard()
    this.store.save(key, passphrase)
  }

  promote(): void {
    renameSync(this.store.path, this.keyPath)
    fsyncDirectory(dirname(this.keyPath))
  }

  discard(): void {
    if (!this.store.exists()) return
    rmSync(this.store.path, { force: true })
    fsyncDirectory(dirname(this.keyPath))
  }
}
