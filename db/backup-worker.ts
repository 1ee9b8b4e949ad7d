/**
 * Entry of the backup worker thread: runs one task (backup-tasks.ts) and posts its steps and its
 * outcome to main. The key arrives in memory with the task and is wiped when the task ends.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { runTask } from './backup-tasks'
import { serializeError, type WorkerMessage, type WorkerRequest } from './backup-thread'

const { task, key } = workerData as WorkerRequest
const post = (message: WorkerMessage) => parentPort!.postMessage(message)

// Each step's timing goes to main's log: which part of a slow backup was slow.
let stepStarted = performance.now()
let current: string = 'start'
// Progress is posted at most every 100 ms (and at the end): a message per batch would flood main.
let progressPosted = -Infinity
runTask(
  task,
  Buffer.from(key.buffer, key.byteOffset, key.byteLength),
  (step) => {
    post({ type: 'log', event: 'worker.step', fields: { step: current, ms: Math.round(performance.now() - stepStarted) } })
    current = step
    stepStarted = performance.now()
    post({ type: 'step', step })
  },
  (progress) => {
    const now = performance.now()
    if (progress.done < progress.total && now - progressPosted < 100) return
    progressPosted = now
    post({ type: 'progress', progress })
  },
)
  .then((value) => post({ type: 'done', value }))
  .catch((error: unknown) => post({ type: 'failed', error: serializeError(error) }))
  .finally(() => key.fill(0))
