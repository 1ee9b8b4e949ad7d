import { Button, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { IconUser } from '@tabler/icons-react'
import type { Ref } from 'react'
import { useTranslation } from 'react-i18next'
import type { KioskMatch } from '../lib/types'

interface Props {
  headingRef: Ref<HTMLHeadingElement>
  matches: KioskMatch[]
  onPick: (person: KioskMatch) => void
  onBack: () => void
  onCancel: () => void
}

/** "Marisol Q." and nothing more: a first name and an initial is all the kiosk ever shows. */
export function kioskName(person: KioskMatch): string {
  return person.lastInitial ? `${person.firstName} ${person.lastInitial.replace(/\.$/, '')}.` : person.firstName
}

/** Step 3: pick yourself from the people found. */
export function KioskPick({ headingRef, matches, onPick, onBack, onCancel }: Props) {
  const { t } = useTranslation()
  return (
    <Stack gap={28} maw={900} mx="auto" py={20}>
      <Title order={1} ref={headingRef} tabIndex={-1} className="pl-kiosk-title">
        {matches.length > 0 ? t('kiosk.pickTitle') : t('kiosk.noneTitle')}
      </Title>
      {matches.length > 0 ? (
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing={16} role="list" aria-label={t('kiosk.pickTitle')}>
          {matches.map((person) => (
            <div role="listitem" key={person.id}>
              <Button
                fullWidth
                variant="default"
                h={96}
                fz={32}
                fw={700}
                className="pl-kiosk-choice"
                leftSection={<IconUser aria-hidden size={34} />}
                onClick={() => onPick(person)}
              >
                {kioskName(person)}
              </Button>
            </div>
          ))}
        </SimpleGrid>
      ) : (
        <Text fz={26}>{t('kiosk.noneBody')}</Text>
      )}
      <Group justify="space-between" className="pl-kiosk-actions">
        <Button variant="default" size="xl" h={72} fz={24} onClick={onCancel}>
          {t('kiosk.cancel')}
        </Button>
        <Button variant="light" size="xl" h={72} fz={24} onClick={onBack}>
          {matches.length > 0 ? t('kiosk.notMe') : t('kiosk.tryAgain')}
        </Button>
      </Group>
      <Text fz={20} c="dimmed" ta="center">
        {t('kiosk.askDesk')}
      </Text>
    </Stack>
  )
}
