/**
 * Every channel's name, and nothing else: the preload (which must stay tiny and free of zod)
 * and the test host's bridge build `window.porchlight` from this list. The contract is
 * type-checked to have exactly these keys, and a test checks it at run time too.
 */
export const CHANNELS = [
  'app.status',
  'app.unlock',
  'app.restoreBackup',
  'setup.create',
  'auth.login',
  'auth.logout',
  'catalog.services',
  'participants.search',
  'participants.create',
  'visits.signIn',
  'visits.today',
  'settings.fieldRules',
  'settings.setFieldRules',
  'participants.checkDuplicates',
  'participants.get',
  'participants.update',
  'participants.list',
  'participants.merge',
  'participants.undoMerge',
  'visits.anonymousCodes',
  'visits.signOut',
  'visits.signOutAll',
  'visits.update',
  'visits.void',
  'catalog.all',
  'catalog.add',
  'catalog.update',
  'catalog.retire',
  'catalog.reorder',
  'kiosk.enter',
  'kiosk.find',
  'kiosk.services',
  'kiosk.signIn',
  'kiosk.exit',
  'auth.changePassword',
  'session.lock',
  'session.unlock',
  'session.touch',
  'staff.list',
  'staff.create',
  'staff.update',
  'staff.resetPassword',
  'settings.security',
  'settings.setSecurity',
  'audit.list',
  'audit.actions',
  'backups.overview',
  'backups.saveSettings',
  'backups.list',
  'backups.run',
  'backups.progress',
  'backups.preview',
  'backups.restore',
  'backups.chooseFolder',
  'backups.checkNow',
  'security.newRecoveryKey',
  'setup.recover',
  'retention.policy',
  'retention.savePolicy',
  'retention.preview',
  'retention.apply',
] as const

export type ChannelName = (typeof CHANNELS)[number]

export const IPC_PREFIX = 'porchlight:'

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && (CHANNELS as readonly string[]).includes(name)
}
