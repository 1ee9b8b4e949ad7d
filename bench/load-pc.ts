import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FileKeyStore } from '../db/keystore-file'
import { connectionFromUrl } from '../db/postgres'
import { PorchlightCore, type Session } from '../electron/ipc/core'
import { dispatch } from '../electron/ipc/dispatch'
import { random } from '../test/random'
import type { LoadPerson, PcOrders, PcReport, PcMessage } from './load'

/**
 * One PC of the load test (`npm run load`), in a process of its own as a PC's main process is: a
 * PorchlightCore that joins the center's server as a second PC does at first run, a staff member
 * signed in through the door, then the desk's (or the kiosk's) actions through `dispatch`, the
 * same door the window's calls go through (zod, session, role, the use case, the change feed).
 */

const send = (message: PcMessage) => process.send!(message)

async function run(orders: PcOrders): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'porchlight-load-pc-'))
  // The run's clock: a test passes its fixed start (tests never read the machine's), the script the real time.
  const origin = orders.start === null ? null : Date.parse(orders.start)
  const began = performance.now()
  const now = origin === null ? undefined : () => new Date(origin + (performance.now() - began))
  const core = new PorchlightCore({ dbFile: join(dir, 'porchlight.db'), keyStore: new FileKeyStore(join(dir, 'porchlight.key')), now, timeZone: orders.timeZone, appVersion: '0.0.0-load' })
  const session: Session = { staff: null }
  const call = async (channel: string, input: unknown): Promise<{ ok: true; value: unknown } | { ok: false; code: string }> => {
    const envelope = await dispatch(channel, input, { core, session })
    return envelope.ok ? { ok: true, value: envelope.value } : { ok: false, code: envelope.error.code }
  }
  const must = async (channel: string, input: unknown): Promise<unknown> => {
    const answer = await call(channel, input)
    if (!answer.ok) throw new Error(`${channel} refused: ${answer.code}`)
    return answer.value
  }
  try {
    await core.start()
    await core.connectServer(connectionFromUrl(orders.url))
    await must('auth.login', { username: orders.username, password: orders.password })
    // A new account's first sign-in asks for a password of the person's own before anything else.
    await must('auth.changePassword', { currentPassword: orders.password, newPassword: `${orders.password} of my own` })
    if (orders.role === 'kiosk') await must('kiosk.enter', {})
    send({ kind: 'ready' })
    const go = await new Promise<number>((resolveGo) => process.once('message', (message: { kind: 'go'; ms: number }) => resolveGo(message.ms)))
    const report = orders.role === 'kiosk' ? await kiosk(orders, call, go) : await desk(orders, call, go)
    send({ kind: 'done', report })
  } finally {
    await core.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

type Call = (channel: string, input: unknown) => Promise<{ ok: true; value: unknown } | { ok: false; code: string }>

function emptyReport(): PcReport {
  return { signIns: [], already: 0, signInMs: [], searchMs: [], searchMisses: 0, signOuts: [], otherRefusals: {}, kioskSignIns: [], kioskDesk: 0, lookupMs: [] }
}

function refused(report: PcReport, channel: string, code: string): void {
  const key = `${channel} ${code}`
  report.otherRefusals[key] = (report.otherRefusals[key] ?? 0) + 1
}

/**
 * A desk with no pause between people (the load, not a person's pace): types a person's first
 * name key by key from the second letter (a search per keystroke, as the desk's box asks), picks
 * them from the answer, signs them in; someone already here is the desk's "already signed in".
 * Each desk keeps at most `keepHere` of its own people here, signing the earliest out (people leave).
 */
async function desk(orders: PcOrders, call: Call, ms: number): Promise<PcReport> {
  const report = emptyReport()
  const next = random(orders.seed)
  const here: number[] = []
  const until = performance.now() + ms
  const pick = (): LoadPerson => {
    // Some people are "hot": every desk keeps reaching for them, so two desks do meet on one person.
    const pool = next() < orders.hotShare ? orders.people.slice(0, orders.hot) : orders.people
    return pool[Math.floor(next() * pool.length)]!
  }
  while (performance.now() < until) {
    const person = pick()
    let found = false
    for (let length = 2; length <= person.firstName.length; length++) {
      const started = performance.now()
      const answer = await call('participants.search', { text: person.firstName.slice(0, length), limit: 20 })
      report.searchMs.push(performance.now() - started)
      if (!answer.ok) refused(report, 'participants.search', answer.code)
      else found = (answer.value as Array<{ id: number }>).some((row) => row.id === person.id)
    }
    if (!found) report.searchMisses++
    const started = performance.now()
    const answer = await call('visits.signIn', { participantId: person.id, services: [] })
    const took = performance.now() - started
    if (answer.ok) {
      const visit = answer.value as { id: number }
      report.signIns.push({ visitId: visit.id, participantId: person.id })
      report.signInMs.push(took)
      here.push(visit.id)
    } else if (answer.code === 'ALREADY_SIGNED_IN') report.already++
    else refused(report, 'visits.signIn', answer.code)
    if (here.length > orders.keepHere) {
      const visitId = here.shift()!
      const out = await call('visits.signOut', { visitId })
      if (out.ok) report.signOuts.push(visitId)
      else refused(report, 'visits.signOut', out.code)
    }
  }
  return report
}

/**
 * The kiosk at a person's pace: one person every `kioskEveryMs` (the kiosk answers six look-ups a
 * minute and sends the seventh to the desk), each finding themselves by first name and birth year,
 * then signing in. The kiosk's answer carries no visit id: the check afterwards counts by person.
 */
async function kiosk(orders: PcOrders, call: Call, ms: number): Promise<PcReport> {
  const report = emptyReport()
  const next = random(orders.seed)
  const until = performance.now() + ms
  while (performance.now() < until) {
    const turn = performance.now()
    const person = orders.people[Math.floor(next() * orders.people.length)]!
    const started = performance.now()
    const found = await call('kiosk.find', { firstName: person.firstName, birthYear: person.birthYear })
    report.lookupMs.push(performance.now() - started)
    if (!found.ok) refused(report, 'kiosk.find', found.code)
    else if ((found.value as { kind: string }).kind !== 'found') report.kioskDesk++
    else {
      const signing = performance.now()
      const answer = await call('kiosk.signIn', { services: [] })
      if (answer.ok) {
        report.kioskSignIns.push(person.id)
        report.signInMs.push(performance.now() - signing)
      } else if (answer.code === 'ALREADY_SIGNED_IN') report.already++
      else refused(report, 'kiosk.signIn', answer.code)
    }
    const rest = turn + orders.kioskEveryMs - performance.now()
    if (rest > 0 && performance.now() + rest < until) await new Promise((resolveRest) => setTimeout(resolveRest, rest))
    else if (rest > 0) break
  }
  return report
}

process.once('message', (orders: PcOrders) => {
  run(orders).then(
    () => process.exit(0),
    (error: unknown) => {
      send({ kind: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) })
      process.exit(1)
    },
  )
})
