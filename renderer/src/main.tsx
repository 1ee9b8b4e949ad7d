// Only the Mantine styles the first screens draw (loading, error, unlock, sign-in), in Mantine's
// own order: the whole sheet is 262 KB of CSS to parse before the sign-in form shows (issue 11).
// The rest comes with the lazily read screens (all-styles.ts). Both are in the 'mantine' cascade
// layer, so the whole sheet arriving later cannot override the app's own unlayered styles.css.
// The list is what the first screens' chunks use: their m_xxxxxxxx class names, looked up in
// node_modules/@mantine/core/styles/*.css (test/unit/first-styles.test.ts checks the components).
import '@mantine/core/styles/baseline.layer.css'
import '@mantine/core/styles/default-css-variables.layer.css'
import '@mantine/core/styles/global.layer.css'
import '@mantine/core/styles/UnstyledButton.layer.css'
import '@mantine/core/styles/Paper.layer.css'
import '@mantine/core/styles/Loader.layer.css'
import '@mantine/core/styles/ActionIcon.layer.css'
import '@mantine/core/styles/CloseButton.layer.css'
import '@mantine/core/styles/Group.layer.css'
import '@mantine/core/styles/Input.layer.css'
import '@mantine/core/styles/FloatingIndicator.layer.css'
import '@mantine/core/styles/Alert.layer.css'
import '@mantine/core/styles/Text.layer.css'
import '@mantine/core/styles/Button.layer.css'
import '@mantine/core/styles/Center.layer.css'
import '@mantine/core/styles/Code.layer.css'
import '@mantine/core/styles/Notification.layer.css'
import '@mantine/core/styles/PasswordInput.layer.css'
import '@mantine/core/styles/SegmentedControl.layer.css'
import '@mantine/core/styles/Stack.layer.css'
import '@mantine/core/styles/Title.layer.css'
import '@mantine/notifications/styles.layer.css'
import './styles.css'
import { firstLanguage } from './i18n'
import { MantineProvider, mergeThemeOverrides } from '@mantine/core'
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { lazy, StrictMode, Suspense, useMemo, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { isApiError, takeEarlyStatus } from './bridge'
import { ErrorBoundary } from './components/ErrorBoundary'
import { reportUncaughtErrors } from './lib/report-error'
import { keys } from './hooks/queries/common'
import { cssVariablesResolver, theme } from './theme'

// Out of the first chunk: see components/AppNotifications.tsx.
const AppNotifications = lazy(() => import('./components/AppNotifications').then((m) => ({ default: m.AppNotifications })))

/**
 * When main says the session is gone (idle lock, signed out elsewhere), go back to the status it
 * reports; when the center's server stopped answering, the status says so at once (the banner).
 */
function onError(error: unknown): void {
  if (
    isApiError(error, 'PG_UNREACHABLE') ||
    isApiError(error, 'NOT_SIGNED_IN') ||
    isApiError(error, 'NOT_READY') ||
    isApiError(error, 'SESSION_LOCKED') ||
    isApiError(error, 'PASSWORD_CHANGE_REQUIRED')
  ) {
    void queryClient.invalidateQueries({ queryKey: keys.status })
  }
}

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: {
    // Main answers from a local file: a refusal is final, retrying only delays the message.
    queries: { retry: false, refetchOnWindowFocus: false },
    mutations: { retry: false },
  },
})

/**
 * The theme, with the words Mantine puts on its own controls in the screen's language: a
 * notification's close button has no visible text, so it needs a name (axe: button-name).
 */
function ThemedProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation()
  const localized = useMemo(
    () => mergeThemeOverrides(theme, { components: { Notification: { defaultProps: { closeButtonProps: { 'aria-label': t('common.close') } } } } }),
    // react-i18next hands out a new t (fixed to the language) whenever the language changes.
    [t],
  )
  return (
    <MantineProvider theme={localized} forceColorScheme="light" cssVariablesResolver={cssVariablesResolver}>
      {children}
    </MantineProvider>
  )
}

reportUncaughtErrors(window)

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')

/** How long the first render waits for main's status before it shows the loading screen. */
const STATUS_WAIT_MS = 100

/**
 * Main's status, asked by public/early-status.js while the modules loaded, handed to the status
 * query. The first render waits for it a short while: once it is in, React's first commit is the
 * screen it names (the sign-in form), not the loading screen and then that screen (issue 11).
 */
function firstStatus(): Promise<unknown> {
  const early = takeEarlyStatus()
  if (!early) return Promise.resolve()
  const fetched = queryClient.prefetchQuery({ queryKey: keys.status, queryFn: () => early })
  return Promise.race([fetched, new Promise((resolve) => setTimeout(resolve, STATUS_WAIT_MS))])
}

// The screen's words are needed by the first render: i18n/index.ts asked for them as it ran.
void Promise.all([firstLanguage, firstStatus()]).then(() =>
  createRoot(root).render(
    <StrictMode>
      <ThemedProvider>
        {/* Its own boundary: reading it never holds back the first screen. */}
        <Suspense fallback={null}>
          <AppNotifications />
        </Suspense>
        <ErrorBoundary>
          <QueryClientProvider client={queryClient}>
            <App />
          </QueryClientProvider>
        </ErrorBoundary>
      </ThemedProvider>
    </StrictMode>,
  ),
)
