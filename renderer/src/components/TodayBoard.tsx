import { ActionIcon, Alert, Badge, Button, Group, Loader, Menu, Paper, ScrollArea, SegmentedControl, Select, Stack, Table, Text, Title, UnstyledButton } from '@mantine/core'
import { IconBan, IconClockCheck, IconDoorExit, IconDotsVertical, IconLogout2, IconPencil } from '@tabler/icons-react'
import { useVirtualizer, type Virtualizer } from '@tanstack/react-virtual'
import type { TFunction } from 'i18next'
import { memo, useCallback, useId, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useQuery } from '@tanstack/react-query'
import { invoke } from '../bridge'
import { useServices, useSignOut, useTodayBoard, type TodayStatus } from '../hooks/queries'
import { useNow } from '../hooks/useNow'
import { currentLanguage, type Language } from '../i18n'
import { errorMessage } from '../lib/errors'
import { formatDuration, formatTime, visitorName } from '../lib/format'
import { MARKS, usePaintedMark } from '../lib/perf'
import type { TodayVisit } from '../lib/types'
import { EditVisitDialog as EditVisitDialogBase, type EditableVisit } from '../visits/EditVisitDialog'
import { EndOfDayDialog as EndOfDayDialogBase } from '../visits/EndOfDayDialog'
import { VoidVisitDialog as VoidVisitDialogBase } from '../visits/VoidVisitDialog'
import { useMay, useOpenProfile } from './ProfileContext'
import { UpdatedCue } from './UpdatedCue'
import { cueKey } from '../hooks/live'

/** The board changes with visits, and with a person's name or merge. */
const BOARD_CUE = [cueKey('visits'), cueKey('participants')]

/** Today's visit as the board shows it; edited/voided marks come with issue 3's contract. */
export type BoardVisit = TodayVisit & { editedAt?: string | null; voidedAt?: string | null; voidReason?: string | null }

interface Actions {
  signOut: (visit: BoardVisit) => void
  edit: (visit: BoardVisit) => void
  /** Editing and voiding are for the roles that correct the day's record. */
  mayCorrect: boolean
  void: (visit: BoardVisit) => void
  openProfile: (id: number) => void
}

/** What every row shares; one object that changes only with the language, the clock or the role. */
interface RowContext {
  t: TFunction
  language: Language
  now: number
  actions: Actions
}

/**
 * The actions take exactly their buttons' width (1px: as narrow as content that does not wrap), so
 * "Sign out" and "Registrar salida" are never cut off; in a narrow desk column the person's name
 * and the time they left wrap instead.
 */
const COLUMNS = [
  { id: 'signedInAt', header: 'today.time', width: 92 },
  { id: 'person', header: 'today.person' },
  { id: 'services', header: 'today.services' },
  { id: 'actions', header: 'today.actions', width: 1 },
] as const

/** A first guess at a row's height (one line of services, no note); each row is measured once shown. */
const ROW_ESTIMATE = 72

/**
 * A row's height without forcing a layout. react-virtual's own measure reads offsetHeight in the
 * row's ref callback, inside React's commit: a style and layout pass of the whole page made there
 * and again, after the commit's last changes, before the paint (~8 ms of a sign-in's new row under
 * load). Here a row shown for the first time takes the height rows last had, and its real one
 * arrives from the ResizeObserver after the browser's own layout, still before the paint.
 */
function rowHeight(learned: { current: number }) {
  return (row: HTMLTableRowElement, entry: ResizeObserverEntry | undefined, virtualizer: Virtualizer<HTMLDivElement, HTMLTableRowElement>): number => {
    const observed = entry?.borderBoxSize[0]?.blockSize
    if (observed !== undefined) {
      learned.current = Math.round(observed)
      return learned.current
    }
    return virtualizer.itemSizeCache.get(virtualizer.options.getItemKey(virtualizer.indexFromElement(row))) ?? learned.current
  }
}

/** When they came, and under it how long they have been here (or when they left). */
function TimeCell({ visit, ctx: { t, language, now } }: { visit: BoardVisit; ctx: RowContext }) {
  return (
    <Stack gap={0}>
      <time dateTime={visit.signedInAt} style={{ fontVariantNumeric: 'tabular-nums', fontWeight: 500 }}>
        {formatTime(visit.signedInAt, language)}
      </time>
      {visit.signedOutAt ? (
        <Text size="sm" c="dimmed" title={formatDuration(t, Date.parse(visit.signedOutAt) - Date.parse(visit.signedInAt))}>
          {t('today.leftAt', { time: formatTime(visit.signedOutAt, language) })}
        </Text>
      ) : (
        <Text size="sm" c={visit.voidedAt ? 'dimmed' : 'green.9'} fw={500} style={{ whiteSpace: 'nowrap' }}>
          <span className="pl-visually-hidden">{t('today.onSite')}: </span>
          {formatDuration(t, now - Date.parse(visit.signedInAt))}
        </Text>
      )}
    </Stack>
  )
}

function PersonCell({ visit, name, ctx: { t, language, actions } }: { visit: BoardVisit; name: string; ctx: RowContext }) {
  return (
    <Stack gap={2}>
      <Group gap={8} wrap="wrap" style={{ rowGap: 0 }}>
        {visit.participant ? (
          <UnstyledButton className="pl-link" onClick={() => actions.openProfile(visit.participant!.id)} aria-label={t('today.openProfile', { name })}>
            <Text fw={600} span>
              {name}
            </Text>
          </UnstyledButton>
        ) : (
          <Text fw={500} c="dimmed" fs="italic" span>
            {name}
          </Text>
        )}
        {visit.participant ? (
          // The code tells two "Mike R."s apart; quieter than the name.
          <Text span size="sm" c="dimmed">
            {visit.participant.code}
          </Text>
        ) : null}
      </Group>
      {visit.voidedAt ? (
        <Group gap={6}>
          <Badge color="red" variant="light" radius="sm" tt="none" fw={600}>
            {t('today.voided')}
          </Badge>
          <Text size="sm" c="dimmed">
            {visit.voidReason}
          </Text>
        </Group>
      ) : visit.editedAt ? (
        <Badge color="gray" variant="outline" radius="sm" w="fit-content" title={t('today.editedAt', { time: formatTime(visit.editedAt, language) })}>
          {t('today.edited')}
        </Badge>
      ) : null}
      {visit.note ? (
        <Text size="sm" c="dimmed" lineClamp={2}>
          {visit.note}
        </Text>
      ) : null}
    </Stack>
  )
}

function ServicesCell({ visit, ctx: { t, language } }: { visit: BoardVisit; ctx: RowContext }) {
  if (visit.services.length === 0) return <Text c="dimmed">{t('today.noServices')}</Text>
  return (
    <Group gap={4}>
      {visit.services.map((service) => (
        <Badge
          key={service.serviceId}
          variant="light"
          color="gray"
          tt="none"
          size="lg"
          radius="sm"
          fw={500}
          // Long names ("Peer support") wrap rather than hide behind an ellipsis.
          styles={SERVICE_BADGE_STYLES}
        >
          {language === 'es' ? service.nameEs : service.nameEn}
          {service.quantity > 1 ? ` ×${service.quantity}` : ''}
        </Badge>
      ))}
    </Group>
  )
}

const SERVICE_BADGE_STYLES = { root: { height: 'auto', minHeight: 26, paddingBlock: 2 }, label: { whiteSpace: 'normal' as const, overflow: 'visible' as const, lineHeight: 1.25 } }

/**
 * Edit and void. The menu (a Popover with its own focus trap and portal) is mounted only while
 * open: a thousand closed menus cost more than the rest of the board. Closing puts the focus
 * back on the button, as the mounted menu did.
 */
function VisitMenu({ visit, name, ctx: { t, actions } }: { visit: BoardVisit; name: string; ctx: RowContext }) {
  const [opened, setOpened] = useState(false)
  const buttonRef = useRef<HTMLButtonElement>(null)
  const button = (
    <ActionIcon ref={buttonRef} variant="subtle" color="gray" size={36} aria-label={t('today.moreActions', { name })} onClick={opened ? undefined : () => setOpened(true)}>
      <IconDotsVertical aria-hidden size={18} />
    </ActionIcon>
  )
  if (!opened) return button
  const close = (next: boolean) => {
    if (next) return
    setOpened(false)
    // The button is mounted again outside the menu; give it the focus once it is there.
    requestAnimationFrame(() => buttonRef.current?.focus())
  }
  return (
    <Menu opened onChange={close} position="bottom-end" withinPortal>
      <Menu.Target>{button}</Menu.Target>
      <Menu.Dropdown>
        <Menu.Item leftSection={<IconPencil aria-hidden size={16} />} onClick={() => actions.edit(visit)}>
          {t('today.edit')}
        </Menu.Item>
        <Menu.Item color="red.9" leftSection={<IconBan aria-hidden size={16} />} onClick={() => actions.void(visit)}>
          {t('today.void')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  )
}

function ActionsCell({ visit, name, signingOut, ctx }: { visit: BoardVisit; name: string; signingOut: boolean; ctx: RowContext }) {
  const { t, actions } = ctx
  if (visit.voidedAt) return null
  return (
    <Group gap={4} wrap="nowrap" justify="flex-end">
      {visit.signedOutAt ? null : (
        <Button
          size="xs"
          h={36}
          px={10}
          variant="default"
          leftSection={<IconLogout2 aria-hidden size={16} />}
          aria-label={t('today.signOutPerson', { name })}
          loading={signingOut}
          onClick={() => actions.signOut(visit)}
        >
          {t('today.signOut')}
        </Button>
      )}
      {actions.mayCorrect ? <VisitMenu visit={visit} name={name} ctx={ctx} /> : null}
    </Group>
  )
}

interface RowProps {
  visit: BoardVisit
  /** Its place in the whole board, for aria-rowindex and the virtualizer's measurement. */
  index: number
  signingOut: boolean
  ctx: RowContext
  measure: (element: HTMLTableRowElement | null) => void
}

/*
 * Rows and cells are plain tr and td with the classes and data attributes Mantine's Table.Tr and
 * Table.Td give them (a row border and the hover highlight, as this table asks): a sign-in renders
 * every row in view again (their index moves), and each Table.Tr or Table.Td resolved its props,
 * the table's context and styles through Box for the same two classes.
 */
const ROW_CLASS = `${Table.classes.tr} mantine-Table-tr pl-visit-row`
const CELL_CLASS = `${Table.classes.td} mantine-Table-td`

/**
 * A row's cells, memoized apart from the row: a sign-in puts a new row on top and moves every
 * other row's index, which re-renders their rows but not their cells.
 */
const VisitCells = memo(function VisitCells({ visit, signingOut, ctx }: Omit<RowProps, 'index' | 'measure'>) {
  const name = visitorName(ctx.t, visit)
  return (
    <>
      <td className={CELL_CLASS} style={CELL_STYLE}>
        <TimeCell visit={visit} ctx={ctx} />
      </td>
      <td className={CELL_CLASS} style={CELL_STYLE}>
        <PersonCell visit={visit} name={name} ctx={ctx} />
      </td>
      <td className={CELL_CLASS} style={CELL_STYLE}>
        <ServicesCell visit={visit} ctx={ctx} />
      </td>
      <td className={CELL_CLASS} style={CELL_STYLE}>
        <ActionsCell visit={visit} name={name} signingOut={signingOut} ctx={ctx} />
      </td>
    </>
  )
})

/**
 * One visit. Memoized: react-query keeps an unchanged visit the same object across refetches, so
 * a change re-renders only the rows it touched (and every row when the clock or language moves).
 */
const VisitRow = memo(function VisitRow({ visit, index, signingOut, ctx, measure }: RowProps) {
  return (
    <tr
      ref={measure}
      data-index={index}
      aria-rowindex={index + 2}
      data-voided={visit.voidedAt ? 'true' : undefined}
      data-with-row-border="true"
      data-hover="true"
      className={ROW_CLASS}
    >
      <VisitCells visit={visit} signingOut={signingOut} ctx={ctx} />
    </tr>
  )
})

const CELL_STYLE = { verticalAlign: 'top' } as const

/*
 * The board renders again for every change to its data (a sign-in, the re-read behind it, the
 * fetching flag): its closed dialogs, and the filters when their counts did not move, skip it.
 */
const EditVisitDialog = memo(EditVisitDialogBase)
const VoidVisitDialog = memo(VoidVisitDialogBase)
const EndOfDayDialog = memo(EndOfDayDialogBase)

interface FiltersProps {
  status: TodayStatus
  onStatus: (status: TodayStatus) => void
  serviceId: number | null
  onService: (serviceId: number | null) => void
  hereCount: number
  leftCount: number
  allCount: number
}

/** Who is here or has left, and one service; the counts come from the whole day's board. */
const BoardFilters = memo(function BoardFilters({ status, onStatus, serviceId, onService, hereCount, leftCount, allCount }: FiltersProps) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const services = useServices()
  const serviceOptions = useMemo(
    () => [{ value: 'all', label: t('today.allServices') }, ...(services.data ?? []).map((s) => ({ value: String(s.id), label: language === 'es' ? s.nameEs : s.nameEn }))],
    [services.data, language, t],
  )
  return (
    <Group gap="sm" align="flex-end">
      <SegmentedControl
        aria-label={t('today.filterStatus')}
        value={status}
        onChange={(value) => onStatus(value as TodayStatus)}
        data={[
          { value: 'here', label: t('today.here', { count: hereCount }) },
          { value: 'left', label: t('today.left', { count: leftCount }) },
          { value: 'all', label: t('today.all', { count: allCount }) },
        ]}
        styles={SEGMENT_STYLES}
      />
      <Select
        aria-label={t('today.filterService')}
        data={serviceOptions}
        value={serviceId ? String(serviceId) : 'all'}
        onChange={(value) => onService(value && value !== 'all' ? Number(value) : null)}
        allowDeselect={false}
        size="sm"
        w={210}
        comboboxProps={{ withinPortal: true }}
        styles={SELECT_STYLES}
      />
    </Group>
  )
})

const SEGMENT_STYLES = { label: { minHeight: 36, display: 'flex', alignItems: 'center', justifyContent: 'center', paddingInline: 14 } }
const SELECT_STYLES = { input: { minHeight: 38 } }


/**
 * Today's board: who is here, who has left, filtered by service; time on site; sign out one
 * person or everyone at the end of the day; edit or void a visit with a reason. A real table
 * with a caption and column headers, so screen readers can move by row and column.
 */
export const TodayBoard = memo(function TodayBoard() {
  const { t } = useTranslation()
  const language = currentLanguage()
  const [status, setStatus] = useState<TodayStatus>('all')
  const [serviceId, setServiceId] = useState<number | null>(null)
  const board = useTodayBoard(status, serviceId)
  // Always the whole day, for the counts on the filter and the end-of-day dialog.
  const all = useTodayBoard('all', null)
  const signOut = useSignOut()
  const openProfile = useOpenProfile()
  const now = useNow()
  const headingId = useId()
  const [editing, setEditing] = useState<EditableVisit | null>(null)
  const [voiding, setVoiding] = useState<{ id: number; who: string; time: string } | null>(null)
  const [endOfDay, setEndOfDay] = useState(false)
  // Visits nobody signed out on an earlier day, closed by Porchlight today: the desk should know.
  const autoClosed = useQuery({ queryKey: ['visits', 'autoClosed'], queryFn: () => invoke('visits.autoClosed', {}), staleTime: 5 * 60_000 })
  const [autoClosedSeen, setAutoClosedSeen] = useState<string | null>(null)
  const mayCorrect = useMay('visits.update')
  const mayEndDay = useMay('visits.signOutAll')

  const { counted, hereCount } = useMemo(() => {
    const counted = ((all.data ?? []) as BoardVisit[]).filter((visit) => !visit.voidedAt)
    return { counted, hereCount: counted.filter((visit) => !visit.signedOutAt).length }
  }, [all.data])
  const leftCount = counted.length - hereCount

  const signOutVisit = signOut.mutate
  const ctx = useMemo<RowContext>(
    () => ({
      t,
      language,
      now,
      actions: {
        signOut: (visit) => signOutVisit(visit.id),
        edit: (visit) =>
          setEditing({
            id: visit.id,
            who: visitorName(t, visit),
            signedInAt: visit.signedInAt,
            signedOutAt: visit.signedOutAt,
            services: visit.services,
            note: visit.note,
          }),
        void: (visit) => setVoiding({ id: visit.id, who: visitorName(t, visit), time: formatTime(visit.signedInAt, language) }),
        mayCorrect,
        openProfile,
      },
    }),
    [t, language, now, signOutVisit, mayCorrect, openProfile],
  )
  const signingOut = signOut.isPending ? (signOut.variables ?? null) : null

  const data = useMemo<BoardVisit[]>(() => board.data ?? [], [board.data])
  // Only the rows in view (and a few either side) are in the DOM: a busy day has a thousand visits.
  const viewportRef = useRef<HTMLDivElement>(null)
  // The height rows last had: a new row is guessed at it, so its real height, measured before the paint, moves nothing.
  const learnedHeight = useRef(ROW_ESTIMATE)
  const [measureRow] = useState(() => rowHeight(learnedHeight))
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual keeps its own state
  const virtualizer = useVirtualizer({
    count: data.length,
    getScrollElement: () => viewportRef.current,
    estimateSize: () => learnedHeight.current,
    measureElement: measureRow,
    getItemKey: (index) => data[index]?.id ?? index,
    overscan: 6,
    // Before the viewport is measured, enough rows for a desk screen.
    initialRect: { width: 0, height: 900 },
  })
  const items = virtualizer.getVirtualItems()
  const padTop = items[0]?.start ?? 0
  const padBottom = items.length > 0 ? virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0) : 0
  // Newest first: the top row is whoever was just signed in.
  const newest = board.data?.[0]
  usePaintedMark(MARKS.board, newest ? JSON.stringify({ visit: newest.id, participant: newest.participant?.id ?? null }) : null)
  const closeEditing = useCallback(() => setEditing(null), [])
  const closeVoiding = useCallback(() => setVoiding(null), [])
  const closeEndOfDay = useCallback(() => setEndOfDay(false), [])

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={headingId} h="100%">
      <Stack gap="sm" h="100%">
        <Group justify="space-between" align="center" gap="sm">
          <Group gap="xs">
            <Title order={2} size="h3" id={headingId}>
              {t('today.title', { count: counted.length })}
            </Title>
            {board.isFetching ? <Loader size="xs" aria-label={t('today.loading')} /> : null}
            <UpdatedCue watch={BOARD_CUE} />
          </Group>
          {mayEndDay ? (
            <Button variant="default" leftSection={<IconDoorExit aria-hidden size={18} />} onClick={() => setEndOfDay(true)}>
              {t('endOfDay.open')}
            </Button>
          ) : null}
        </Group>
        {autoClosed.data && autoClosed.data.at !== autoClosedSeen ? (
          <Alert
            color="blue"
            variant="light"
            icon={<IconClockCheck aria-hidden />}
            withCloseButton
            closeButtonLabel={t('common.dismiss')}
            onClose={() => setAutoClosedSeen(autoClosed.data?.at ?? null)}
          >
            {t('endOfDay.autoClosed', { count: autoClosed.data.count })}
          </Alert>
        ) : null}
        <BoardFilters
          status={status}
          onStatus={setStatus}
          serviceId={serviceId}
          onService={setServiceId}
          hereCount={hereCount}
          leftCount={leftCount}
          allCount={counted.length}
        />
        {board.isError ? (
          <Text c="red.8" role="alert">
            {t('today.failed')} {errorMessage(t, language, board.error)}
          </Text>
        ) : null}
        <ScrollArea.Autosize mah="calc(100vh - 250px)" type="auto" offsetScrollbars viewportRef={viewportRef}>
          {/* aria-rowcount and aria-rowindex tell a screen reader where it is, though most rows are not in the DOM. */}
          <Table stickyHeader highlightOnHover verticalSpacing="xs" fz="md" captionSide="top" aria-rowcount={data.length + 1}>
            <Table.Caption className="pl-visually-hidden">{t('today.caption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr aria-rowindex={1}>
                {COLUMNS.map((column) => (
                  <Table.Th key={column.id} scope="col" w={'width' in column ? column.width : undefined}>
                    {column.id === 'actions' ? <span className="pl-visually-hidden">{t(column.header)}</span> : t(column.header)}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {padTop > 0 ? <tr aria-hidden style={{ height: padTop }} /> : null}
              {items.map((item) => {
                const visit = data[item.index]!
                return (
                  <VisitRow
                    key={visit.id}
                    visit={visit}
                    index={item.index}
                    signingOut={signingOut === visit.id}
                    ctx={ctx}
                    measure={virtualizer.measureElement}
                  />
                )
              })}
              {padBottom > 0 ? <tr aria-hidden style={{ height: padBottom }} /> : null}
              {board.isSuccess && data.length === 0 ? (
                <Table.Tr>
                  <Table.Td colSpan={COLUMNS.length}>
                    <Text c="dimmed" py="md">
                      {serviceId ? t('today.emptyService') : status === 'here' ? t('today.emptyHere') : status === 'left' ? t('today.emptyLeft') : t('today.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ) : null}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
      </Stack>
      <EditVisitDialog visit={editing} onClose={closeEditing} />
      <VoidVisitDialog visit={voiding} onClose={closeVoiding} />
      <EndOfDayDialog opened={endOfDay} count={hereCount} onClose={closeEndOfDay} />
    </Paper>
  )
})
