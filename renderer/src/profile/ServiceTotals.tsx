import { Table, Text } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import { currentLanguage } from '../i18n'
import type { ServiceTotal } from '../lib/types'

/** How often the person received each service (voided visits not counted). */
export function ServiceTotals({ totals }: { totals: ServiceTotal[] }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  if (totals.length === 0) return <Text c="dimmed">{t('profile.noServices')}</Text>
  return (
    <Table verticalSpacing="xs" fz="md" maw={560} aria-label={t('profile.servicesTable')}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{t('profile.service')}</Table.Th>
          <Table.Th scope="col" ta="right">
            {t('profile.serviceVisits')}
          </Table.Th>
          <Table.Th scope="col" ta="right">
            {t('profile.serviceQuantity')}
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {totals.map((total) => (
          <Table.Tr key={total.serviceId}>
            <Table.Th scope="row" fw={500}>
              {language === 'es' ? total.nameEs : total.nameEn}
            </Table.Th>
            <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
              {total.visits}
            </Table.Td>
            <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
              {total.quantity}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}
