import { describe, expect, it, vi } from 'vitest'
import { electronPlatform } from '../../electron/main/platform'
import { centerWithCore } from './backup-helpers'
import { useTempDirs } from './helpers'

vi.mock('electron', () => ({}))

const tempDir = useTempDirs()

describe('choosing the backup folder with the OS dialog', () => {
  it('opens a folder picker parented to the window, starting at the current folder; cancel gives null', async () => {
    const window = { id: 1 } as never
    const showOpenDialog = vi.fn().mockResolvedValueOnce({ canceled: false, filePaths: ['/media/usb/porchlight'] }).mockResolvedValueOnce({ canceled: true, filePaths: [] })
    const platform = electronPlatform({ showOpenDialog, showSaveDialog: vi.fn() }, () => window, { openPath: async () => '' }, () => '/home/dana/Documents')
    expect(await platform.chooseFolder('/media/old')).toBe('/media/usb/porchlight')
    expect(showOpenDialog).toHaveBeenCalledWith(window, { properties: ['openDirectory', 'createDirectory'], defaultPath: '/media/old' })
    expect(await platform.chooseFolder(null)).toBeNull()
    expect(showOpenDialog).toHaveBeenLastCalledWith(window, { properties: ['openDirectory', 'createDirectory'] })
  })

  it('answers through the admin channel with the platform the core was given, and says plainly when there is none', async () => {
    const t = await centerWithCore(tempDir())
    // The core in backup-helpers has no platform: like the admin CLI, it cannot show a dialog.
    const refused = await t.call('backups.chooseFolder', {})
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/Type the folder path/) } })
    await t.core.close()
  })
})
