import { parseArgs } from 'node:util'
import { progressBar } from '../../db/cli/progress'
import { DEMO_CENTER, startDemoHost } from './demo'
import { startHost, type RunningHost } from './server'

const usage = `Usage: npm run host -- [--port N] [--db FILE --key-file FILE | --postgres URL] [--demo]

Serves the built app (run "npm run build" first) on 127.0.0.1 with the real main-process
handlers and an encrypted database, so it can be used in any Chromium browser.
  --port N          port to listen on (default: a free one)
  --db FILE         database to use (default: a new one in a temp folder, deleted on exit)
  --key-file FILE   key for --db (default: FILE.key beside it; created on first-run setup)
  --postgres URL    keep the records on this PostgreSQL server instead: URL names a role that may
                    create databases (postgres://user:password@host:port/postgres, as printed by
                    .ci/postgres start DIR); the host makes a new database there (named in its
                    output), connects to it as a PC would, and drops it on exit
  --demo            a new temporary center, "${DEMO_CENTER}", already set up and filled
                    with about 2,000 synthetic people and 120 days of visits; prints the logins
                    (with --postgres: built in a temporary file, then copied to the server as
                    "npm run admin -- migrate" does)`

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      db: { type: 'string' },
      'key-file': { type: 'string' },
      demo: { type: 'boolean' },
      postgres: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    console.log(usage)
    return
  }
  const port = values.port === undefined ? 0 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a number from 0 to 65535, not "${values.port}"`)
  if (values.demo && (values.db !== undefined || values['key-file'] !== undefined)) {
    throw new Error('--demo makes its own temporary database: leave out --db and --key-file.')
  }
  if (values.postgres !== undefined && (values.db !== undefined || values['key-file'] !== undefined)) {
    throw new Error('--postgres keeps the records on the server: leave out --db and --key-file.')
  }
  let host: RunningHost
  if (values.demo) {
    const bar = progressBar()
    const demo = await startDemoHost({ port, postgres: values.postgres }, { onProgress: (done, total, phase) => bar.update(done, total, phase) })
    const { seeded } = demo
    bar.finish(`Demo center "${DEMO_CENTER}": ${seeded.participants.toLocaleString('en-US')} people, ${seeded.visits.toLocaleString('en-US')} visits, ${seeded.referrals.toLocaleString('en-US')} referrals (${seeded.firstDate} to ${seeded.lastDate}). All synthetic.`)
    console.log('Sign in as:')
    for (const login of demo.logins) console.log(`  ${login.username.padEnd(8)} password ${login.password}   (${login.role})`)
    console.log('')
    host = demo.host
  } else {
    host = await startHost({ port, dbFile: values.db, keyFile: values['key-file'], postgres: values.postgres })
  }
  console.log(`Porchlight test host is running. Open this address in Chromium (the token is part of it):\n\n  ${host.url}\n`)
  console.log(`${host.postgres ? `Database on the server: ${host.postgres.name} (dropped on exit)` : `Database: ${host.dbFile}`}\nPress Ctrl+C to stop.`)
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
