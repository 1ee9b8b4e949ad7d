import { parseArgs } from 'node:util'
import { startHost } from './server'

const usage = `Usage: npm run host -- [--port N] [--db FILE --key-file FILE]

Serves the built app (run "npm run build" first) on 127.0.0.1 with the real main-process
handlers and an encrypted database, so it can be used in any Chromium browser.
  --port N         port to listen on (default: a free one)
  --db FILE        database to use (default: a new one in a temp folder, deleted on exit)
  --key-file FILE  key for --db (default: FILE.key beside it; created on first-run setup)`

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      db: { type: 'string' },
      'key-file': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    console.log(usage)
    return
  }
  const port = values.port === undefined ? 0 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a number from 0 to 65535, not "${values.port}"`)
  const host = await startHost({ port, dbFile: values.db, keyFile: values['key-file'] })
  console.log(`Porchlight test host is running. Open this address in Chromium (the token is part of it):\n\n  ${host.url}\n`)
  console.log(`Database: ${host.dbFile}\nPress Ctrl+C to stop.`)
  const stop = () => {
    void host.close().then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error))
  process.exit(1)
})
