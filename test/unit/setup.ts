import { inject } from 'vitest'
import { useBackupWorkerFile } from '../../db/backup-thread'

// Worker threads start from the bundle global-setup.ts made (as the packaged app's do from
// electron-vite's), not from source through tsx: a few hundred milliseconds instead of seconds.
useBackupWorkerFile(inject('backupWorkerFile'))
