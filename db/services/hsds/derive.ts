import { createHash } from 'node:crypto'
import { REFERRAL_TYPES, type Agency, type ReferralType } from '../../types'
import type { HsdsRow, HsdsTables } from './tables'

/**
 * How an HSDS organization becomes one agency of the directory the referrals use: one agency per
 * organization (referrals go to an agency, and an organization is what a peer calls), with its
 * services, locations, phones, schedules, languages, service areas and taxonomy terms folded into
 * the agency's fields. The HSDS rows themselves are kept whole, so an export gives them back.
 */
export type DerivedAgency = Pick<Agency, 'name' | 'contactName' | 'phone' | 'email' | 'address' | 'website' | 'hours' | 'notes' | 'verifiedOn' | 'types'> & {
  hsdsId: string
}

/** A stable UUID (version 5 layout) from a name: the same agency or kind gets the same HSDS id on every export. */
export function uuidFrom(name: string): string {
  const hex = createHash('sha1').update(name).digest('hex').slice(0, 32).split('')
  hex[12] = '5'
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)
  const h = hex.join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/** Porchlight's kinds of referral as an HSDS taxonomy, so an export carries them and an import of it keeps them exactly. */
export const PORCHLIGHT_TAXONOMY_ID = uuidFrom('porchlight:taxonomy:referral-kinds')
export const porchlightTermId = (type: ReferralType) => uuidFrom(`porchlight:referral-kind:${type}`)

/** Words in a service's name, description or taxonomy terms that say which kind of referral it takes. */
const KIND_WORDS: Array<[ReferralType, RegExp]> = [
  ['detox', /\bdetox|withdrawal management/i],
  ['mat', /medication[- ]assisted|\bmethadone|buprenorphine|suboxone|naltrexone|\bmoud\b|\bmat\b/i],
  ['treatment', /substance|addiction|\brehab|\btreatment\b|\bsud\b/i],
  ['housing', /\bhousing|\bshelter|homeless|\brent\b|\brental/i],
  ['employment', /employment|\bjobs?\b|career|workforce|vocational/i],
  ['transport', /transport|\bbus\b|\brides?\b|transit/i],
  ['mental_health', /mental|counsel+ing|psychiat|therap|depress|anxiety/i],
]

function clip(text: string, max: number): string | null {
  const trimmed = text.replace(/[ \t]+/g, ' ').trim()
  if (!trimmed) return null
  return trimmed.length > max ? `${trimmed.slice(0, max - 1)}…` : trimmed
}

function groupBy(rows: HsdsRow[], column: string): Map<string, HsdsRow[]> {
  const map = new Map<string, HsdsRow[]>()
  for (const row of rows) {
    const key = row[column]!.trim()
    if (key) map.set(key, [...(map.get(key) ?? []), row])
  }
  return map
}

/** A phone number the desk's form accepts: digits and + ( ) . - and spaces; HSDS files often quote or annotate them. */
function phoneOf(row: HsdsRow | undefined): string | null {
  if (!row) return null
  return clip(row.number!.replace(/[^0-9+().\-\s]/g, ''), 30)
}

function addressOf(row: HsdsRow): string {
  const place = [row.state_province, row.postal_code].map((part) => part!.trim()).filter(Boolean).join(' ')
  return [row.address_1, row.address_2, row.city, place].map((part) => part!.trim()).filter(Boolean).join(', ')
}

function scheduleOf(row: HsdsRow): string {
  if (row.description!.trim()) return row.description!.trim()
  const times = [row.opens_at, row.closes_at].map((time) => time!.trim().slice(0, 5)).filter(Boolean).join('–')
  return [row.byday!.trim(), times].filter(Boolean).join(' ')
}

const unique = (values: string[]) => [...new Set(values.map((value) => value.trim()).filter(Boolean))]

/** Every organization of a package as an agency. */
export function deriveAgencies(tables: HsdsTables): DerivedAgency[] {
  const servicesByOrg = groupBy(tables.services, 'organization_id')
  const phonesByOrg = groupBy(tables.phones, 'organization_id')
  const phonesByService = groupBy(tables.phones, 'service_id')
  const contactsByOrg = groupBy(tables.contacts, 'organization_id')
  const contactsByService = groupBy(tables.contacts, 'service_id')
  const placesByService = groupBy(tables.service_at_location, 'service_id')
  const locationsByOrg = groupBy(tables.locations, 'organization_id')
  const addressesByLocation = groupBy(tables.addresses, 'location_id')
  const schedulesByService = groupBy(tables.schedules, 'service_id')
  const languagesByService = groupBy(tables.languages, 'service_id')
  const areasByService = groupBy(tables.service_areas, 'service_id')
  const attributesByLink = groupBy(tables.attributes, 'link_id')
  const terms = new Map(tables.taxonomy_terms.map((term) => [term.id!.trim(), term]))

  return tables.organizations.map((org) => {
    const id = org.id!.trim()
    const services = servicesByOrg.get(id) ?? []
    const serviceIds = services.map((service) => service.id!.trim())
    const each = <T>(map: Map<string, T[]>) => serviceIds.flatMap((serviceId) => map.get(serviceId) ?? [])
    const locationIds = unique([...each(placesByService).map((place) => place.location_id!), ...(locationsByOrg.get(id) ?? []).map((location) => location.id!)])
    const address = locationIds.flatMap((locationId) => addressesByLocation.get(locationId) ?? []).map(addressOf).find(Boolean) ?? ''
    const linkedTerms = [id, ...serviceIds].flatMap((link) => attributesByLink.get(link) ?? []).map((attribute) => terms.get(attribute.taxonomy_term_id!.trim())).filter((term) => term !== undefined)
    const ownKinds = linkedTerms.filter((term) => term.taxonomy_id!.trim() === PORCHLIGHT_TAXONOMY_ID).map((term) => term.code!.trim())
    let types = REFERRAL_TYPES.filter((type) => ownKinds.includes(type))
    if (types.length === 0) {
      const text = [...services.flatMap((service) => [service.name!, service.description!]), ...linkedTerms.map((term) => term.name!)].join('\n')
      types = KIND_WORDS.filter(([, words]) => words.test(text)).map(([type]) => type)
      types = REFERRAL_TYPES.filter((type) => types.includes(type))
    }
    const assured = services.map((service) => service.assured_date!.trim()).filter(Boolean).sort()
    const notes = [
      org.description!.trim(),
      ...(services.length > 0 ? [`Services: ${unique(services.map((service) => service.name!)).join(', ')}`] : []),
      ...(each(languagesByService).length > 0 ? [`Languages: ${unique(each(languagesByService).map((language) => language.name!)).join(', ')}`] : []),
      ...(each(areasByService).length > 0 ? [`Service area: ${unique(each(areasByService).map((area) => area.name! || area.description!)).join('; ')}`] : []),
    ].filter(Boolean)
    return {
      hsdsId: id,
      name: org.name!.replace(/\s+/g, ' ').trim(),
      contactName: clip([...(contactsByOrg.get(id) ?? []), ...each(contactsByService)].map((contact) => contact.name!).find((name) => name.trim()) ?? '', 120),
      phone: phoneOf((phonesByOrg.get(id) ?? [])[0] ?? each(phonesByService)[0]),
      email: clip(org.email! || services.map((service) => service.email!).find((email) => email.trim()) || '', 200),
      address: clip(address, 300),
      website: clip(org.website!, 300),
      hours: clip(unique(each(schedulesByService).map(scheduleOf)).join('; '), 300),
      notes: clip(notes.join('\n'), 1000),
      verifiedOn: assured.at(-1) ?? null,
      types: types.length > 0 ? types : ['other'],
    }
  })
}
