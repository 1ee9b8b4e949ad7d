import { useMutation } from '@tanstack/react-query'
import type { InputOf } from '../../../../electron/ipc/contract'
import { invoke } from '../../bridge'
import { useReferralMutation } from './referrals'

/** The directory in Open Referral HSDS: a folder is read (preview), imported or written in main. */
export const useChooseDirectoryFolder = () => useMutation({ mutationFn: () => invoke('directory.chooseFolder', {}) })
export const usePreviewDirectory = () => useMutation({ mutationFn: (input: InputOf<'directory.preview'>) => invoke('directory.preview', input) })
// An import adds and changes agencies, which referrals name: their cache is refreshed with it.
export const useImportDirectory = () => useReferralMutation((input: InputOf<'directory.import'>) => invoke('directory.import', input))
export const useExportDirectory = () => useMutation({ mutationFn: (input: InputOf<'directory.export'>) => invoke('directory.export', input) })
