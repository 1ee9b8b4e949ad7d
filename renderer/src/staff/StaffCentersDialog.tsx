import { Button, Checkbox, Group, Modal, Select, Stack, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import type { TFunction } from 'i18next'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { CenterRow, StaffCenters } from '../../../electron/ipc/contract/centers'
import { FormAlert } from '../components/FormAlert'
import { useGrantCenters } from '../hooks/queries'
import { fieldErrors } from '../lib/errors'
import type { StaffAccount } from '../lib/types'

const GRANT_FIELDS = ['homeCenterId', 'otherCenterIds'] as const

/** Where an account works: its home center (where it starts at sign-in) and any other centers it may switch to. */
export function StaffCentersDialog({ account, grants, centers, onClose }: { account: StaffAccount | null; grants: StaffCenters | undefined; centers: CenterRow[]; onClose: () => void }) {
  const { t } = useTranslation()
  return (
    <Modal opened={account !== null} onClose={onClose} title={t('staffCenters.title', { name: account?.displayName ?? '' })} size="md" closeButtonProps={{ 'aria-label': t('common.close') }}>
      {account ? <GrantForm key={account.id} account={account} grants={grants} centers={centers} onClose={onClose} /> : null}
    </Modal>
  )
}

function GrantForm({ account, grants, centers, onClose }: { account: StaffAccount; grants: StaffCenters | undefined; centers: CenterRow[]; onClose: () => void }) {
  const { t } = useTranslation()
  const grant = useGrantCenters()
  const inUse = centers.filter((c) => c.active)
  const [home, setHome] = useState<string | null>(grants ? String(grants.homeCenterId) : null)
  // Archived centers are not offered; a grant to one is dropped on save (nobody works in it).
  const [others, setOthers] = useState<string[]>((grants?.otherCenterIds ?? []).filter((id) => inUse.some((c) => c.id === id)).map(String))
  const errors = fieldErrors(grant.error, GRANT_FIELDS)
  const admin = account.role === 'admin'
  const save = () => {
    if (home === null) return
    grant.mutate(
      { staffId: account.id, homeCenterId: Number(home), otherCenterIds: admin ? [] : others.map(Number).filter((id) => id !== Number(home)) },
      {
        onSuccess: () => {
          notifications.show({ color: 'teal', message: t('staffCenters.saved', { name: account.displayName }) })
          onClose()
        },
      },
    )
  }
  return (
    <Stack>
      <Select
        label={t('staffCenters.home')}
        description={t('staffCenters.homeHint')}
        required
        allowDeselect={false}
        data={inUse.map((c) => ({ value: String(c.id), label: c.name }))}
        value={home}
        onChange={setHome}
        error={errors.homeCenterId}
        data-autofocus
      />
      {admin ? (
        <Text size="sm">{t('staffCenters.adminEverywhere')}</Text>
      ) : (
        <Checkbox.Group label={t('staffCenters.others')} description={t('staffCenters.othersHint')} value={others} onChange={setOthers} error={errors.otherCenterIds}>
          <Stack gap={6} mt="xs">
            {inUse
              .filter((c) => String(c.id) !== home)
              .map((c) => (
                <Checkbox key={c.id} value={String(c.id)} label={c.name} />
              ))}
          </Stack>
        </Checkbox.Group>
      )}
      <FormAlert error={Object.keys(errors).length === 0 ? grant.error : null} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t('common.cancel')}
        </Button>
        <Button onClick={save} loading={grant.isPending} disabled={home === null}>
          {t('staffCenters.save')}
        </Button>
      </Group>
    </Stack>
  )
}

/** The staff table's cell: home center, then the others (names; an archived one marked so). */
export function centersText(t: TFunction, grants: StaffCenters | undefined, centers: CenterRow[], admin: boolean): string {
  if (!grants) return ''
  const nameOf = (id: number) => {
    const center = centers.find((c) => c.id === id)
    if (!center) return '?'
    return center.active ? center.name : t('staffCenters.archivedName', { name: center.name })
  }
  const home = t('staffCenters.homeShort', { name: nameOf(grants.homeCenterId) })
  if (admin) return `${home} · ${t('staffCenters.allCenters')}`
  if (grants.otherCenterIds.length === 0) return home
  return `${home} · ${t('staffCenters.alsoShort', { names: grants.otherCenterIds.map(nameOf).join(', ') })}`
}
