import { parseArgs } from 'node:util'
import { describeLoad, runLoad } from './load'

const usage = `Usage: npm run load -- --postgres URL [--minutes 2] [--desks 4] [--no-kiosk] [--people 1500] [--json]

Four desks and a kiosk, each a process of its own joined to the center's server as a PC is, sign
people in and search for them for the time given, against a new database on the server (made
from URL, a role that may create databases, and dropped after). Prints sign-ins per second, the
p95 of a sign-in and of a search, and what the database holds afterwards: every acknowledged
sign-in there once, nothing nobody was told of, nobody here twice. Exit 1 if any was lost or doubled.`

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      postgres: { type: 'string' },
      minutes: { type: 'string', default: '2' },
      desks: { type: 'string', default: '4' },
      'no-kiosk': { type: 'boolean' },
      people: { type: 'string', default: '1500' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help || !values.postgres) {
    console.log(usage)
    process.exit(values.help ? 0 : 2)
  }
  const minutes = Number(values.minutes)
  const desks = Number(values.desks)
  const people = Number(values.people)
  if (!(minutes > 0 && minutes <= 60)) throw new Error(`--minutes must be more than 0 and at most 60, not "${values.minutes}"`)
  if (!Number.isInteger(desks) || desks < 1 || desks > 16) throw new Error(`--desks must be a whole number from 1 to 16, not "${values.desks}"`)
  if (!Number.isInteger(people) || people < 100 || people > 20_000) throw new Error(`--people must be a whole number from 100 to 20000, not "${values.people}"`)
  const result = await runLoad({ url: values.postgres, seconds: minutes * 60, desks, kiosk: !values['no-kiosk'], people, progress: (line) => console.error(`[load] ${line}`) })
  console.log(values.json ? JSON.stringify(result, null, 2) : describeLoad(result))
  if (result.check.lost > 0 || result.check.doubled > 0 || result.check.signOutsLost > 0) process.exit(1)
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error))
  process.exit(1)
})
