import type { TestProject } from 'vitest/node'
import { bundleBackupWorker } from '../backup-worker-bundle'
import { makeMigratedTemplate } from '../migrated-template'

/**
 * Once per run: the backup worker bundled, for every test file's worker threads, and a database
 * at the current schema that every file's new databases are copied from (setup.ts).
 */
export default async function setup(project: TestProject): Promise<() => void> {
  project.provide('backupWorkerFile', bundleBackupWorker())
  const template = await makeMigratedTemplate()
  project.provide('migratedTemplate', { file: template.file, keyHex: template.keyHex })
  return () => template.remove()
}

declare module 'vitest' {
  export interface ProvidedContext {
    backupWorkerFile: string
    migratedTemplate: { file: string; keyHex: string }
  }
}
