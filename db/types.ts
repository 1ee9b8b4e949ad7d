/**
 * The shapes that cross the IPC door, as plain types with no Node or database imports, so the
 * renderer's type-check (tsconfig.web.json) can see them without seeing db/ itself.
 */
export const ROLES = ['front_desk', 'facilitator', 'peer_specialist', 'manager', 'admin'] as const
export type Role = (typeof ROLES)[number]

export interface StaffSummary {
  id: number
  username: string
  displayName: string
  role: Role
}

export interface ParticipantSummary {
  id: number
  code: string
  firstName: string | null
  nickname: string | null
  lastName: string | null
  birthYear: number | null
  phoneLast4: string | null
  lastVisitAt: string | null
}

export interface CatalogService {
  id: number
  key: string
  nameEn: string
  nameEs: string
  hasQuantity: boolean
}

export interface TodayVisit {
  id: number
  signedInAt: string
  signedOutAt: string | null
  participant: { id: number; code: string; firstName: string | null; nickname: string | null; lastName: string | null } | null
  anonymousCode: string | null
  services: Array<{ serviceId: number; key: string; nameEn: string; nameEs: string; quantity: number }>
  note: string | null
}
