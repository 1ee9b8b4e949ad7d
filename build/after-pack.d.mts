import type { FuseV1Config } from '@electron/fuses'

/** What electron-builder passes to an afterPack hook (the parts this hook reads). */
export interface AfterPackContext {
  appOutDir: string
  electronPlatformName: string
  packager: { appInfo: { productFilename: string }; executableName: string }
}

export const RELEASE_FUSES: FuseV1Config
export function electronBinary(context: AfterPackContext): string
export default function afterPack(context: AfterPackContext): Promise<void>
