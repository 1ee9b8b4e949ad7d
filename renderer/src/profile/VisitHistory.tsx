import { ActionIcon, Badge, Group, Menu, ScrollArea, Stack, Table, Text } from '@mantine/core'
import { IconBan, IconDotsVertical, IconPencil } from '@tabler/icons-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { currentLanguage } from '../i18n'
import { formatDate, formatDuration, formatTime, shortName } from '../lib/format'
import type { ParticipantDetails, VisitRecord } from '../lib/types'
import { EditVisitDialog, type EditableVisit } from '../visits/EditVisitDialog'
import { VoidVisitDialog } from '../visits/VoidVisitDialog'
import { useMay } from '../components/ProfileContext'

/** Every visit, newest first; voided ones stay listed, struck through, with their reason. */
export function VisitHistory({ person, visits }: { person: ParticipantDetails; visits: VisitRecord[] }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const [editing, setEditing] = useState<EditableVisit | null>(null)
  const mayCorrect = useMay('visits.update')
  const [voiding, setVoiding] = useState<{ id: number; who: string; time: string } | null>(null)
  const who = shortName(person)

  if (visits.length === 0) return <Text c="dimmed">{t('profile.noVisits')}</Text>

  return (
    <>
      {/* A long history scrolls: its viewport takes the focus, so arrow keys scroll it without a mouse. */}
      <ScrollArea.Autosize mah="calc(100vh - 300px)" type="auto" offsetScrollbars viewportProps={{ tabIndex: 0, role: 'region', 'aria-label': t('profile.visitsTable') }}>
        <Table stickyHeader striped verticalSpacing="xs" fz="sm" aria-label={t('profile.visitsTable')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('profile.visitDate')}</Table.Th>
              <Table.Th scope="col">{t('profile.visitTimes')}</Table.Th>
              <Table.Th scope="col">{t('today.services')}</Table.Th>
              <Table.Th scope="col">{t('checkin.note')}</Table.Th>
              <Table.Th scope="col">
                <span className="pl-visually-hidden">{t('today.actions')}</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {visits.map((visit) => (
              <Table.Tr key={visit.id} data-voided={visit.voidedAt ? 'true' : undefined} className="pl-visit-row">
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(`${visit.visitDate}T12:00:00`, language)}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
                  {formatTime(visit.signedInAt, language)}
                  {visit.signedOutAt ? ` – ${formatTime(visit.signedOutAt, language)}` : ''}
                  {visit.signedOutAt ? (
                    <Text span size="xs" c="dimmed" ml={6}>
                      ({formatDuration(t, Date.parse(visit.signedOutAt) - Date.parse(visit.signedInAt))})
                    </Text>
                  ) : null}
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {visit.services.length === 0 ? <Text c="dimmed">—</Text> : null}
                    {visit.services.map((service) => (
                      <Badge key={service.serviceId} variant="light" color="gray" tt="none" radius="sm" fw={500}>
                        {language === 'es' ? service.nameEs : service.nameEn}
                        {service.quantity > 1 ? ` ×${service.quantity}` : ''}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Stack gap={2}>
                    {visit.voidedAt ? (
                      <Group gap={6} wrap="nowrap">
                        <Badge color="red" variant="light" radius="sm" tt="none" fw={600}>
                          {t('today.voided')}
                        </Badge>
                        <Text size="sm">{visit.voidReason}</Text>
                      </Group>
                    ) : null}
                    {visit.note ? <Text size="sm">{visit.note}</Text> : null}
                  </Stack>
                </Table.Td>
                <Table.Td w={48}>
                  {visit.voidedAt || !mayCorrect ? null : (
                    <Menu position="bottom-end" withinPortal>
                      <Menu.Target>
                        <ActionIcon variant="subtle" color="gray" size={36} aria-label={t('profile.visitActions', { date: formatDate(visit.signedInAt, language) })}>
                          <IconDotsVertical aria-hidden size={18} />
                        </ActionIcon>
                      </Menu.Target>
                      <Menu.Dropdown>
                        <Menu.Item
                          leftSection={<IconPencil aria-hidden size={16} />}
                          onClick={() =>
                            setEditing({ id: visit.id, who, signedInAt: visit.signedInAt, signedOutAt: visit.signedOutAt, services: visit.services, note: visit.note })
                          }
                        >
                          {t('today.edit')}
                        </Menu.Item>
                        <Menu.Item
                          color="red"
                          leftSection={<IconBan aria-hidden size={16} />}
                          onClick={() => setVoiding({ id: visit.id, who, time: `${formatDate(visit.signedInAt, language)} ${formatTime(visit.signedInAt, language)}` })}
                        >
                          {t('today.void')}
                        </Menu.Item>
                      </Menu.Dropdown>
                    </Menu>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
      <EditVisitDialog visit={editing} onClose={() => setEditing(null)} />
      <VoidVisitDialog visit={voiding} onClose={() => setVoiding(null)} />
    </>
  )
}
