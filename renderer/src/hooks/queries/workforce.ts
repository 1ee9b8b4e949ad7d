import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { InputOf } from '../../../../electron/ipc/contract'
import { invoke } from '../../bridge'

/** The peer workforce's queries: every write refreshes everything under 'workforce' (a handful of small reads). */
const ROOT = ['workforce'] as const

export function useWorkforceLists() {
  return useQuery({ queryKey: [...ROOT, 'lists'], queryFn: () => invoke('workforce.lists', {}) })
}

export function useWorkforceOverview(enabled = true) {
  return useQuery({ queryKey: [...ROOT, 'overview'], queryFn: () => invoke('workforce.overview', {}), enabled })
}

export function useWorkforcePerson(staffId: number | null) {
  return useQuery({ queryKey: [...ROOT, 'person', staffId], queryFn: () => invoke('workforce.person', { staffId: staffId ?? 0 }), enabled: staffId !== null })
}

export function useWorkforceReminders(enabled = true) {
  return useQuery({ queryKey: [...ROOT, 'reminders'], queryFn: () => invoke('workforce.reminders', {}), enabled })
}

export function useWorkforceReport(range: { from: string; to: string } | null) {
  return useQuery({ queryKey: [...ROOT, 'report', range], queryFn: () => invoke('workforce.report', range ?? { from: '', to: '' }), enabled: range !== null })
}

export function useWorkforceSettings() {
  return useQuery({ queryKey: [...ROOT, 'settings'], queryFn: () => invoke('workforce.settings', {}) })
}

function useWrite<I, R>(call: (input: I) => Promise<R>) {
  const client = useQueryClient()
  return useMutation({ mutationFn: call, onSuccess: () => client.invalidateQueries({ queryKey: ROOT }) })
}

export const useSaveCredential = () => useWrite((input: InputOf<'workforce.saveCredential'>) => invoke('workforce.saveCredential', input))
export const useRenewCredential = () => useWrite((input: InputOf<'workforce.renewCredential'>) => invoke('workforce.renewCredential', input))
export const useAddTraining = () => useWrite((input: InputOf<'workforce.addTraining'>) => invoke('workforce.addTraining', input))
export const useConfirmTraining = () => useWrite((input: InputOf<'workforce.confirmTraining'>) => invoke('workforce.confirmTraining', input))
export const useSaveKind = () => useWrite((input: InputOf<'workforce.saveKind'>) => invoke('workforce.saveKind', input))
export const useDeleteKind = () => useWrite((input: InputOf<'workforce.deleteKind'>) => invoke('workforce.deleteKind', input))
export const useSaveCategory = () => useWrite((input: InputOf<'workforce.saveCategory'>) => invoke('workforce.saveCategory', input))
export const useDeleteCategory = () => useWrite((input: InputOf<'workforce.deleteCategory'>) => invoke('workforce.deleteCategory', input))
export const useAddSupervision = () => useWrite((input: InputOf<'workforce.addSupervision'>) => invoke('workforce.addSupervision', input))

/** A scanned copy, fetched (and audited in main) only when someone asks to open it. */
export function useOpenDocument() {
  return useMutation({ mutationFn: (id: number) => invoke('workforce.document', { id }) })
}

/** A chosen file as the door wants it: its name and its bytes in base64. */
export async function readUpload(file: File): Promise<{ fileName: string; base64: string }> {
  const bytes = new Uint8Array(await file.arrayBuffer())
  let binary = ''
  // In slices: String.fromCharCode with millions of arguments overflows the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return { fileName: file.name, base64: btoa(binary) }
}
