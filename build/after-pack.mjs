// electron-builder afterPack hook: flips Electron's fuses in the packaged binary before it is
// signed and wrapped into the installer. Fuses are bits compiled into the Electron executable;
// turning them off removes whole ways in (running the app as plain Node, NODE_OPTIONS, --inspect,
// loading code from outside the signed app.asar) that no setting in the app can close.
import { join } from 'node:path'
import { flipFuses, FuseV1Options, FuseVersion } from '@electron/fuses'

/** The release fuse settings; test/unit/packaging.test.ts checks them. */
export const RELEASE_FUSES = {
  version: FuseVersion.V1,
  // Fail the build if a newer Electron adds a fuse this list does not decide about.
  strictlyRequireAllFuses: true,
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // electron-builder writes the asar's hash into the executable (Windows) for this check.
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  [FuseV1Options.WasmTrapHandlers]: true,
}

/** The packaged Electron executable for the platform being built. */
export function electronBinary(context) {
  const { appOutDir, electronPlatformName, packager } = context
  if (electronPlatformName === 'win32') return join(appOutDir, `${packager.appInfo.productFilename}.exe`)
  if (electronPlatformName === 'linux') return join(appOutDir, packager.executableName)
  throw new Error(`Porchlight is packaged for Windows and Linux only, not ${electronPlatformName}.`)
}

export default async function afterPack(context) {
  await flipFuses(electronBinary(context), RELEASE_FUSES)
}
