/**
 * Open Referral's Human Services Data Specification 3.0, tabular form: the files and columns the
 * specification's own examples carry (examples/csv/ in openreferral/specification), in the order
 * an export writes them. Every table has an `id`; references to other tables are listed with how
 * strictly an import checks them.
 *
 * A `strict` reference must name a row in the same package: the directory is built through it
 * (a service's organization, a phone's service). A loose one is kept as written and only noted
 * when it points outside the package: the specification's own examples do that for a parent
 * organization, a location's organization, a contact's links, a taxonomy term's parent and
 * taxonomy, an attribute's linked row and a metadata row's resource, which live in other
 * directories or registries.
 */
export interface HsdsReference {
  column: string
  table: HsdsTableName
  strict: boolean
}

export interface HsdsTable {
  name: HsdsTableName
  columns: readonly string[]
  references: readonly HsdsReference[]
}

export const HSDS_TABLE_NAMES = [
  'organizations',
  'programs',
  'services',
  'locations',
  'service_at_location',
  'addresses',
  'phones',
  'schedules',
  'languages',
  'service_areas',
  'contacts',
  'accessibility',
  'cost_options',
  'funding',
  'organization_identifiers',
  'required_documents',
  'taxonomies',
  'taxonomy_terms',
  'attributes',
  'metadata',
  'meta_table_descriptions',
] as const

export type HsdsTableName = (typeof HSDS_TABLE_NAMES)[number]

const strict = (column: string, table: HsdsTableName): HsdsReference => ({ column, table, strict: true })
const loose = (column: string, table: HsdsTableName): HsdsReference => ({ column, table, strict: false })

const COLUMNS: Record<HsdsTableName, string> = {
  organizations: 'id,name,alternate_name,description,email,website,tax_status,tax_id,year_incorporated,legal_status,logo,uri,parent_organization_id',
  programs: 'id,organization_id,name,alternate_name,description',
  services:
    'id,organization_id,program_id,name,alternate_name,description,url,email,status,interpretation_services,application_process,fees_description,wait_time,fees,accreditations,eligibility_description,minimum_age,maximum_age,assured_date,assurer_email,licenses,alert,last_modified',
  locations: 'id,location_type,url,organization_id,name,alternate_name,description,transportation,latitude,longitude,external_identifier,external_identifier_type',
  service_at_location: 'id,service_id,location_id,description',
  addresses: 'id,location_id,attention,address_1,address_2,city,region,state_province,postal_code,country,address_type',
  phones: 'id,location_id,service_id,organization_id,contact_id,service_at_location_id,number,extension,type,description',
  schedules:
    'id,service_id,location_id,service_at_location_id,valid_from,valid_to,dtstart,timezone,until,count,wkst,freq,interval,byday,byweekno,bymonthday,byyearday,description,opens_at,closes_at,schedule_link,attending_type,notes',
  languages: 'id,service_id,location_id,phone_id,name,code,note',
  service_areas: 'id,service_id,name,description,extent,extent_type,uri',
  contacts: 'id,organization_id,service_id,service_at_location_id,location_id,name,title,department,email',
  accessibility: 'id,location_id,description,details,url',
  cost_options: 'id,service_id,valid_from,valid_to,option,currency,amount,amount_description',
  funding: 'id,organization_id,service_id,source',
  organization_identifiers: 'id,organization_id,identifier_scheme,identifier_type,identifier',
  required_documents: 'id,service_id,document,uri',
  taxonomies: 'id,name,description,uri,version',
  taxonomy_terms: 'id,code,name,description,parent_id,taxonomy,language,taxonomy_id,term_uri',
  attributes: 'id,link_id,taxonomy_term_id,link_type,link_entity,value',
  metadata: 'id,resource_id,resource_type,last_action_date,last_action_type,field_name,previous_value,replacement_value,updated_by',
  meta_table_descriptions: 'id,name,language,character_set',
}

const REFERENCES: Partial<Record<HsdsTableName, HsdsReference[]>> = {
  organizations: [loose('parent_organization_id', 'organizations')],
  programs: [strict('organization_id', 'organizations')],
  services: [strict('organization_id', 'organizations'), strict('program_id', 'programs')],
  locations: [loose('organization_id', 'organizations')],
  service_at_location: [strict('service_id', 'services'), strict('location_id', 'locations')],
  addresses: [strict('location_id', 'locations')],
  phones: [
    strict('location_id', 'locations'),
    strict('service_id', 'services'),
    strict('organization_id', 'organizations'),
    strict('contact_id', 'contacts'),
    strict('service_at_location_id', 'service_at_location'),
  ],
  schedules: [strict('service_id', 'services'), strict('location_id', 'locations'), strict('service_at_location_id', 'service_at_location')],
  languages: [strict('service_id', 'services'), strict('location_id', 'locations'), strict('phone_id', 'phones')],
  service_areas: [strict('service_id', 'services')],
  contacts: [
    loose('organization_id', 'organizations'),
    loose('service_id', 'services'),
    loose('service_at_location_id', 'service_at_location'),
    loose('location_id', 'locations'),
  ],
  accessibility: [strict('location_id', 'locations')],
  cost_options: [strict('service_id', 'services')],
  funding: [strict('organization_id', 'organizations'), strict('service_id', 'services')],
  organization_identifiers: [strict('organization_id', 'organizations')],
  required_documents: [strict('service_id', 'services')],
  taxonomy_terms: [loose('parent_id', 'taxonomy_terms'), loose('taxonomy_id', 'taxonomies')],
  attributes: [strict('taxonomy_term_id', 'taxonomy_terms')],
}

export const HSDS_TABLES: readonly HsdsTable[] = HSDS_TABLE_NAMES.map((name) => ({
  name,
  columns: COLUMNS[name].split(','),
  references: REFERENCES[name] ?? [],
}))

export const HSDS_TABLE: Readonly<Record<HsdsTableName, HsdsTable>> = Object.fromEntries(HSDS_TABLES.map((table) => [table.name, table])) as Record<
  HsdsTableName,
  HsdsTable
>

export function isHsdsTableName(name: string): name is HsdsTableName {
  return (HSDS_TABLE_NAMES as readonly string[]).includes(name)
}

/** One row as read: every column of its table, '' where the file had nothing. */
export type HsdsRow = Record<string, string>

/** A whole package: each table's rows in file order. */
export type HsdsTables = Record<HsdsTableName, HsdsRow[]>

export function emptyTables(): HsdsTables {
  return Object.fromEntries(HSDS_TABLE_NAMES.map((name) => [name, []])) as unknown as HsdsTables
}

/**
 * A cell a spreadsheet would run as a formula: = or @ first, or + or - first in anything but a
 * number or phone number (a signed amount, "+1 555 0100"), and tab or carriage return first.
 */
export function isFormulaLike(text: string): boolean {
  if (/^[=@\t\r]/.test(text)) return true
  return /^[+-]/.test(text) && !/^[+-][\d\s().,-]*$/.test(text)
}

/** How an export writes a cell: a formula-like one gets a leading apostrophe, which an import takes off again. */
export function neutralize(text: string): string {
  return isFormulaLike(text) ? `'${text}` : text
}

/** The reverse of `neutralize`, for a file this app (or another careful one) wrote. */
export function unneutralize(text: string): string {
  return text.startsWith("'") && isFormulaLike(text.slice(1)) ? text.slice(1) : text
}
