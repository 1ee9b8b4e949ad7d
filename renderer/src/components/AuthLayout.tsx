import { Box, Center, Group, Paper, Stack, Text, Title } from '@mantine/core'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { AboutButton } from '../about/AboutButton'
import { LanguageToggle } from './LanguageToggle'

interface Props {
  /** The screen's heading (h1). */
  title: string
  subtitle?: ReactNode
  width?: number
  children: ReactNode
}

/** The frame for screens before the front desk: a single card, centered, with the language switch. */
export function AuthLayout({ title, subtitle, width = 440, children }: Props) {
  const { t } = useTranslation()
  return (
    <Box mih="100vh" style={{ display: 'flex', flexDirection: 'column' }}>
      <Group justify="space-between" px="lg" py="sm" component="header">
        <Text fw={700} c="porch.8" size="lg">
          {t('app.name')}
        </Text>
        <Group gap="sm">
          <AboutButton />
          <LanguageToggle />
        </Group>
      </Group>
      <Center component="main" style={{ flex: 1 }} p="md">
        <Paper withBorder shadow="sm" radius="lg" p="xl" w="100%" maw={width}>
          <Stack gap="lg">
            <Stack gap={4}>
              <Title order={1} size="h2">
                {title}
              </Title>
              {subtitle ? <Text c="dimmed">{subtitle}</Text> : null}
            </Stack>
            {children}
          </Stack>
        </Paper>
      </Center>
    </Box>
  )
}
