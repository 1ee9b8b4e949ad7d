import { Center, Loader, VisuallyHidden } from '@mantine/core'
import { Suspense, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'

/**
 * Where a screen that lives in its own chunk appears: a spinner, announced, for the moment its
 * code is read from disk (the first time only), then the screen.
 */
export function Lazy({ children }: { children: ReactNode }) {
  const { t } = useTranslation()
  return (
    <Suspense
      fallback={
        <Center p="xl" role="status">
          <Loader aria-hidden />
          <VisuallyHidden>{t('common.loading')}</VisuallyHidden>
        </Center>
      }
    >
      {children}
    </Suspense>
  )
}
