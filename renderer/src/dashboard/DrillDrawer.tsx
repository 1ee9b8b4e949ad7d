import { Button, Drawer, Group, Loader, Stack, Table, Text } from '@mantine/core'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { FormAlert } from '../components/FormAlert'
import { useOpenProfile } from '../components/ProfileContext'
import { currentLanguage } from '../i18n'
import { formatDay } from '../referrals/labels'
import { useDrillDown, type DrillInput } from '../hooks/queries'

export type DrillTarget = Omit<DrillInput, 'offset' | 'limit'> & { title: string }

const PAGE = 50

function name(person: { firstName: string | null; nickname: string | null; lastName: string | null; code: string }): string {
  return [person.firstName ?? person.nickname, person.lastName].filter(Boolean).join(' ') || person.code
}

/**
 * The list behind a bar or a row: the visits, people or referrals the figure counted, by the
 * same rules in main. Main writes each page it sends into the audit log (who saw whom).
 */
export function DrillDrawer({ target, onClose }: { target: DrillTarget | null; onClose: () => void }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const openProfile = useOpenProfile()
  const [offset, setOffset] = useState(0)
  const [shown, setShown] = useState<DrillTarget | null>(null)
  if (target !== shown) {
    setShown(target)
    setOffset(0)
  }
  const input: DrillInput | null = target ? { range: target.range, scope: target.scope, list: target.list, filter: target.filter, offset, limit: PAGE } : null
  const page = useDrillDown(input)
  const data = page.data
  const personButton = (person: Parameters<typeof name>[0] & { id: number }) => (
    <Button size="compact-sm" variant="subtle" onClick={() => openProfile(person.id)}>
      {name(person)}
    </Button>
  )
  return (
    <Drawer opened={target !== null} onClose={onClose} position="right" size="lg" title={target?.title} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <Stack gap="sm">
        <FormAlert error={page.error} />
        {page.isLoading ? <Loader size="sm" aria-label={t('dashboard.loading')} /> : null}
        {data ? (
          <>
            <Text size="sm" c="dimmed" aria-live="polite">
              {t('dashboard.listCount', { count: data.total, from: data.total === 0 ? 0 : offset + 1, to: offset + data.rows.length })}
            </Text>
            <Table striped>
              <Table.Thead>
                {data.list === 'visits' ? (
                  <Table.Tr>
                    <Table.Th scope="col">{t('dashboard.colDay')}</Table.Th>
                    <Table.Th scope="col">{t('dashboard.colPerson')}</Table.Th>
                  </Table.Tr>
                ) : data.list === 'people' ? (
                  <Table.Tr>
                    <Table.Th scope="col">{t('dashboard.colPerson')}</Table.Th>
                    <Table.Th scope="col">{t('dashboard.colCode')}</Table.Th>
                    <Table.Th scope="col">{t('dashboard.colVisits')}</Table.Th>
                  </Table.Tr>
                ) : (
                  <Table.Tr>
                    <Table.Th scope="col">{t('dashboard.colDay')}</Table.Th>
                    <Table.Th scope="col">{t('dashboard.colPerson')}</Table.Th>
                    <Table.Th scope="col">{t('referrals.colType')}</Table.Th>
                    <Table.Th scope="col">{t('referrals.colAgency')}</Table.Th>
                    <Table.Th scope="col">{t('dashboard.colStatusAtEnd')}</Table.Th>
                  </Table.Tr>
                )}
              </Table.Thead>
              <Table.Tbody>
                {data.list === 'visits'
                  ? data.rows.map((row) => (
                      <Table.Tr key={row.id}>
                        <Table.Td>{formatDay(row.visitDate, language)}</Table.Td>
                        <Table.Td>{row.person ? personButton(row.person) : row.anonymousCode ? t('dashboard.anonymousCode', { code: row.anonymousCode }) : t('dashboard.anonymous')}</Table.Td>
                      </Table.Tr>
                    ))
                  : data.list === 'people'
                    ? data.rows.map((row) => (
                        <Table.Tr key={row.id}>
                          <Table.Td>{personButton(row)}</Table.Td>
                          <Table.Td>{row.code}</Table.Td>
                          <Table.Td>{row.visits}</Table.Td>
                        </Table.Tr>
                      ))
                    : data.rows.map((row) => (
                        <Table.Tr key={row.id}>
                          <Table.Td>{formatDay(row.referredOn, language)}</Table.Td>
                          <Table.Td>{personButton(row.person)}</Table.Td>
                          <Table.Td>{t(`referrals.type.${row.type}`)}</Table.Td>
                          <Table.Td>{row.agencyName}</Table.Td>
                          <Table.Td>{t(`referrals.status.${row.status}`)}</Table.Td>
                        </Table.Tr>
                      ))}
              </Table.Tbody>
            </Table>
            {data.total > PAGE ? (
              <Group justify="space-between">
                <Button variant="default" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
                  {t('referrals.previous')}
                </Button>
                <Button variant="default" disabled={offset + PAGE >= data.total} onClick={() => setOffset(offset + PAGE)}>
                  {t('referrals.next')}
                </Button>
              </Group>
            ) : null}
          </>
        ) : null}
      </Stack>
    </Drawer>
  )
}
