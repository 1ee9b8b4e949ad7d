import type { CredentialStatus } from '../../../electron/ipc/contract'
import { numberFormat } from '../../../shared/intl'

/** Badge colours by credential status: red expired, orange expiring, green active, grey history. */
export const STATUS_COLOR: Record<CredentialStatus | 'none', string> = { active: 'green', expiring: 'orange', expired: 'red', renewed: 'gray', none: 'gray' }

export function hours(value: number, language: string): string {
  return numberFormat(language, { maximumFractionDigits: 2 }).format(value)
}
