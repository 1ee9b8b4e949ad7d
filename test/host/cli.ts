import { parseArgs } from 'node:util'
import { progressBar } from '../../db/cli/progress'
import { DEMO_CENTER, setUpDemo } from './demo'
import { startHost } from './server'

const usage = `Usage: npm run host -- [--port N] [--db FILE --key-file FILE | --demo]

Serves the built app (run "npm run build" first) on 127.0.0.1 with the real main-process
handlers and an encrypted database, so it can be used in any Chromium browser.
  --port N         port to listen on (default: a free one)
  --db FILE        database to use (default: a new one in a temp folder, deleted on exit)
  --key-file FILE  key for --db (default: FILE.key beside it; created on first-run setup)
  --demo           a new temporary center, "${DEMO_CENTER}", already set up and filled
                   with about 2,000 synthetic people and 120 days of visits; prints the logins`

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      db: { type: 'string' },
      'key-file': { type: 'string' },
      demo: { type: 'boolean' },
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
  const host = await startHost({ port, dbFile: values.db, keyFile: values['key-file'] })
  if (values.demo) {
    const bar = progressBar()
    try {
      const { logins, seeded } = await setUpDemo(host, { onProgress: (done, total, phase) => bar.update(done, total, phase) })
      bar.finish(`Demo center "${DEMO_CENTER}": ${seeded.participants.toLocaleString('en-US')} people, ${seeded.visits.toLocaleString('en-US')} visits, ${seeded.referrals.toLocaleString('en-US')} referrals (${seeded.firstDate} to ${seeded.lastDate}). All synthetic.`)
      console.log('Sign in as:')
      for (const login of logins) console.log(`  ${login.username.padEnd(8)} password ${login.password}   (${login.role})`)
      console.log('')
    } catch (error) {
      await host.close()
      throw error
    }
  }
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
