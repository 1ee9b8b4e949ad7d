import type { TFunction } from 'i18next'
import type { GroupSummary, Weekday } from '../../../electron/ipc/contract'
import type { Language } from '../i18n'
import { dateTimeFormat, listFormat } from '../../../shared/intl'

const ISO_DAY: Record<Weekday, number> = { MO: 1, TU: 2, WE: 3, TH: 4, FR: 5, SA: 6, SU: 7 }

/** A weekday's name in the screen's language (2023-01-02 was a Monday). */
export function weekdayName(day: Weekday, language: Language): string {
  return dateTimeFormat(language, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2023, 0, 1 + ISO_DAY[day])))
}

/** "Every Wednesday at 10:30", "Every 2 weeks on Monday, Thursday at 18:00", "Last Friday of the month at 12:00". */
export function describeSchedule(t: TFunction, group: GroupSummary, language: Language): string {
  const pattern = group.pattern
  if (!group.schedule) return t('groups.noSchedule')
  if (!pattern) return t('groups.customSchedule')
  const days = listFormat(language, { type: 'conjunction' }).format(pattern.weekdays.map((d) => weekdayName(d, language)))
  if (pattern.frequency === 'monthly') {
    return t('groups.scheduleMonthly', { week: t(`groups.monthWeek.${pattern.monthWeek ?? 1}`), day: days, time: pattern.startTime })
  }
  return t('groups.scheduleWeekly', { count: pattern.interval, days, time: pattern.startTime })
}
