import { Button } from '@mantine/core'
import { IconInfoCircle } from '@tabler/icons-react'
import { lazy, Suspense, useState } from 'react'
import { useTranslation } from 'react-i18next'

// The dialog (a modal, tables, the diagnostics) is read when first opened: the sign-in form,
// where this button also sits, comes up without it (issue 11: cold start).
const AboutDialog = lazy(() => import('./AboutDialog').then((m) => ({ default: m.AboutDialog })))

/** The "About" button beside the language switch: opens the dialog. */
export function AboutButton() {
  const { t } = useTranslation()
  const [opened, setOpened] = useState(false)
  // Mounted from the first opening on, so closing keeps the modal's own transition and focus return.
  const [wanted, setWanted] = useState(false)
  return (
    <>
      <Button
        variant="subtle"
        leftSection={<IconInfoCircle aria-hidden size={18} />}
        onClick={() => {
          setWanted(true)
          setOpened(true)
        }}
      >
        {t('about.open')}
      </Button>
      {wanted ? (
        <Suspense fallback={null}>
          <AboutDialog opened={opened} onClose={() => setOpened(false)} />
        </Suspense>
      ) : null}
    </>
  )
}
