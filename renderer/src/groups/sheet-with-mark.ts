import type { MarkAnswer, SessionSheet } from '../../../electron/ipc/contract'

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name)

/**
 * The sheet on screen with one mark's answer put in: the session (headcount, status), the person's
 * row in name order as sessionSheet sorts it, and "here today" without them, or with them again
 * when a cleared mark takes them off the list. `asked` is the id the mark was sent for (a record
 * merged away answers as the one it was merged into). The sheet is read again behind it.
 */
export function sheetWithMark(sheet: SessionSheet, answer: MarkAnswer, asked: number): SessionSheet {
  const { person } = answer
  const other = (p: { participantId: number }) => p.participantId !== person.participantId && p.participantId !== asked
  const people = sheet.people.filter(other)
  const hereToday = sheet.hereToday.filter(other)
  if (answer.listed) people.push(person)
  else if (person.hereToday) hereToday.push({ participantId: person.participantId, name: person.name, sheetName: person.sheetName, code: person.code })
  return { ...sheet, session: answer.session, people: people.sort(byName), hereToday: hereToday.sort(byName) }
}
