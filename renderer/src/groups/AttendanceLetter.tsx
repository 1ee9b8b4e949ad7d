import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core'
import { useMutation } from '@tanstack/react-query'
import { IconFileCertificate } from '@tabler/icons-react'
import { useState } from 'react'
import { createPortal } from 'react-dom'
import { useTranslation } from 'react-i18next'
import type { AttendanceLetter as Letter } from '../../../electron/ipc/contract'
import { invoke } from '../bridge'
import { FormFooter } from '../components/FormFooter'
import { useMay } from '../components/ProfileContext'
import { currentLanguage } from '../i18n'
import { todayIso } from '../lib/fields'
import { formatDay, shiftDay } from './format'
import { usePrintSheet } from '../print/usePrintSheet'

/**
 * An attendance letter for one person, for a court, an employer or a program: made only when they
 * ask (the reason is recorded in the audit log), for a period they choose, and printed at once. It
 * names them by first name and last initial, with the center's name.
 */
export function AttendanceLetterButton({ participantId }: { participantId: number }) {
  const { t } = useTranslation()
  const may = useMay('groups.attendanceLetter')
  const [open, setOpen] = useState(false)
  const [letter, setLetter] = useState<Letter | null>(null)
  const printer = usePrintSheet<true>()
  if (!may) return null
  return (
    <>
      <Button variant="default" w="fit-content" leftSection={<IconFileCertificate aria-hidden size={18} />} onClick={() => setOpen(true)}>
        {t('groups.letter.open')}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('groups.letter.title')} closeButtonProps={{ 'aria-label': t('common.close') }}>
        {open ? (
          <LetterForm
            participantId={participantId}
            onCancel={() => setOpen(false)}
            onMade={(made) => {
              setOpen(false)
              setLetter(made)
              printer.print(true)
            }}
          />
        ) : null}
      </Modal>
      {printer.sheet && letter ? <PrintedLetter letter={letter} /> : null}
    </>
  )
}

function LetterForm({ participantId, onCancel, onMade }: { participantId: number; onCancel: () => void; onMade: (letter: Letter) => void }) {
  const { t } = useTranslation()
  const [to, setTo] = useState(() => todayIso())
  const [from, setFrom] = useState(() => shiftDay(todayIso(), -90))
  const [reason, setReason] = useState('')
  const make = useMutation({ mutationFn: () => invoke('groups.attendanceLetter', { participantId, from, to, reason }) })
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault()
        make.mutate(undefined, { onSuccess: onMade })
      }}
    >
      <Stack>
        <Text size="sm" c="dimmed">
          {t('groups.letter.help')}
        </Text>
        <Group grow>
          <TextInput type="date" label={t('groups.letter.from')} required value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
          <TextInput type="date" label={t('groups.letter.to')} required value={to} onChange={(e) => setTo(e.currentTarget.value)} />
        </Group>
        <TextInput label={t('groups.letter.reason')} description={t('groups.letter.reasonHelp')} required value={reason} onChange={(e) => setReason(e.currentTarget.value)} maxLength={300} data-autofocus />
        <FormFooter error={make.error} onCancel={onCancel} submitLabel={t('groups.letter.print')} pending={make.isPending} />
      </Stack>
    </form>
  )
}

function PrintedLetter({ letter }: { letter: Letter }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  return createPortal(
    <div className="pl-print-sheet pl-letter" aria-hidden data-testid="attendance-letter">
      <h1>{letter.centerName}</h1>
      <p>{formatDay(letter.issuedOn, language, true)}</p>
      <h2>{t('groups.letter.heading')}</h2>
      <p>
        {t('groups.letter.body', {
          name: letter.name,
          center: letter.centerName,
          count: letter.sessions.length,
          from: formatDay(letter.from, language, true),
          to: formatDay(letter.to, language, true),
        })}
      </p>
      {letter.sessions.length ? (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('groups.date')}</th>
              <th scope="col">{t('groups.startTime')}</th>
              <th scope="col">{t('groups.group')}</th>
            </tr>
          </thead>
          <tbody>
            {letter.sessions.map((s, index) => (
              <tr key={index}>
                <td>{formatDay(s.date, language, true)}</td>
                <td>{s.startTime}</td>
                <td>{s.groupName}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <p className="pl-letter-sign">{t('groups.letter.signature')}</p>
    </div>,
    document.body,
  )
}
