import type { TestProject } from 'vitest/node'
import { bundleBackupWorker } from '../backup-worker-bundle'

/** Once per run: the backup worker bundled, for every test file's worker threads (setup.ts). */
export default function setup(project: TestProject): void {
  project.provide('backupWorkerFile', bundleBackupWorker())
}

declare module 'vitest' {
  export interface ProvidedContext {
    backupWorkerFile: string
  }
}
