/**
 * The domain's pure lists and the types made from them (participant fields and their answers,
 * referral types and statuses, what a consent covers, coaching's choices, roles, restriction and
 * care-flag kinds, the database's refusal codes): no Node, no SQL, no packages, nothing
 * from outside this folder. db/ builds on them, and the renderer imports them from here (the
 * one part of db/ it may import, a lint rule and test/unit/boundaries.test.ts see to it)
 * instead of keeping copies.
 */
export * from './participant-fields'
export * from './referrals'
export * from './incidents'
export * from './records-import'
export * from './coaching'
export * from './safety'
export * from './error-codes'
export * from './report-suppression'
