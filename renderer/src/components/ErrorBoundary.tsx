import { Button, Center, Paper, Stack, Text, Title } from '@mantine/core'
import { Component, type ErrorInfo, type ReactNode } from 'react'
import { Translation } from 'react-i18next'
import { reportError } from '../lib/report-error'

interface Props {
  children: ReactNode
}

interface State {
  failed: boolean
}

/** Last line of defence: a bug in one screen shows a way out instead of a blank window. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { failed: false }

  static getDerivedStateFromError(): State {
    return { failed: true }
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('[porchlight] screen crashed', error, info.componentStack)
    // The component stack names components, not data: it goes to the log with the error's own.
    if (error instanceof Error) error.stack = `${error.stack ?? ''}\n${info.componentStack ?? ''}`
    reportError(error)
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children
    return (
      <Translation>
        {(t) => (
          <Center mih="100vh" p="md">
            <Paper withBorder shadow="sm" p="xl" maw={520} role="alert">
              <Stack>
                <Title order={1} size="h3">
                  {t('crash.title')}
                </Title>
                <Text>{t('crash.body')}</Text>
                <Button onClick={() => window.location.reload()} w="fit-content">
                  {t('crash.reload')}
                </Button>
              </Stack>
            </Paper>
          </Center>
        )}
      </Translation>
    )
  }
}
