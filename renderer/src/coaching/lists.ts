// The coaching screens' choices, from the domain's own lists (db/domain, the one part of db/ the renderer may import).
export { CONTACT_KINDS, LIFE_AREAS, MEETING_KINDS, PATHWAYS, RECOVERY_STAGES } from '../../../db/domain'
