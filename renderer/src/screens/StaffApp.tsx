import '../all-styles'
import { AppShell, Box, Button, NavLink, Stack, Text } from '@mantine/core'
import { useHotkeys } from '@mantine/hooks'
import { IconAlertTriangle, IconArrowFork, IconBuildingCommunity, IconCalendarEvent, IconCertificate, IconChartBar, IconDatabaseExport, IconDeviceTablet, IconDoorEnter, IconHistory, IconSettings, IconUserHeart, IconUserShield, IconUsers } from '@tabler/icons-react'
import { Fragment, lazy, useCallback, useRef, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { AppHeader } from '../components/AppHeader'
import { KioskEnterDialog } from '../components/KioskEnterDialog'
import { ServerLostBanner } from '../components/ServerLostBanner'
import { Lazy } from '../components/Lazy'
import { CurrentStaffContext, may, OpenProfileContext } from '../components/ProfileContext'
import { useTodaySessions } from '../hooks/queries'
import { useIdleLock } from '../hooks/useIdleLock'
import type { Staff } from '../lib/types'
import { IncidentPlaceContext, type IncidentPlace } from '../incidents/place'
import { StartIncidentDialog } from '../incidents/StartIncidentDialog'
import { ProfileDrawer } from '../profile/ProfileDrawer'
import { WorkforceReminders } from '../workforce/WorkforceReminders'
import { useLiveFeed } from '../hooks/live'
import { FrontDeskScreen } from './FrontDeskScreen'

// Each screen but the desk is its own chunk, read the first time it is opened: the charts are
// large and only managers and admins open them, and no one needs every screen at sign-in.
const DashboardScreen = lazy(() => import('../dashboard/DashboardScreen'))
const ParticipantListScreen = lazy(() => import('../participants/ParticipantListScreen').then((m) => ({ default: m.ParticipantListScreen })))
const GroupsScreen = lazy(() => import('../groups/GroupsScreen').then((m) => ({ default: m.GroupsScreen })))
const ReferralsScreen = lazy(() => import('../referrals/ReferralsScreen').then((m) => ({ default: m.ReferralsScreen })))
const CaseloadScreen = lazy(() => import('../coaching/CaseloadScreen').then((m) => ({ default: m.CaseloadScreen })))
const StaffScreen = lazy(() => import('../staff/StaffScreen').then((m) => ({ default: m.StaffScreen })))
const AuditScreen = lazy(() => import('../audit/AuditScreen').then((m) => ({ default: m.AuditScreen })))
const SettingsScreen = lazy(() => import('../settings/SettingsScreen').then((m) => ({ default: m.SettingsScreen })))
const WorkforceScreen = lazy(() => import('../workforce/WorkforceScreen').then((m) => ({ default: m.WorkforceScreen })))
const IncidentsScreen = lazy(() => import('../incidents/IncidentsScreen').then((m) => ({ default: m.IncidentsScreen })))
const BackupsScreen = lazy(() => import('../backups/BackupsScreen').then((m) => ({ default: m.BackupsScreen })))
const CentersScreen = lazy(() => import('../centers/CentersScreen').then((m) => ({ default: m.CentersScreen })))

export type View = 'dashboard' | 'desk' | 'groups' | 'caseload' | 'participants' | 'referrals' | 'staff' | 'audit' | 'settings' | 'backups' | 'workforce' | 'incidents' | 'centers'

interface NavItem {
  view: View
  label: string
  icon: ReactNode
  shortcut: string
}

/**
 * Everything a signed-in staff member sees: the header, a calm left navigation and one screen.
 * The front desk and the list stay mounted when the desk looks elsewhere, so a half-filled
 * check-in or a scroll position is still there on the way back. Alt+1/2/3/4 switch screens.
 */
interface Props {
  centerName: string
  staff: Staff
  idleLockSeconds: number | null
  locked: boolean
}

export function StaffApp({ centerName, staff, idleLockSeconds, locked }: Props) {
  const { t } = useTranslation()
  // A manager's day starts at the dashboard (follow-ups due, anything that failed); everyone else's at the desk.
  const home: View = staff.role === 'manager' ? 'dashboard' : 'desk'
  const [view, setView] = useState<View>(home)
  const [visited, setVisited] = useState<ReadonlySet<View>>(new Set(['desk', home]))
  const [profileId, setProfileId] = useState<number | null>(null)
  const [kioskOpen, setKioskOpen] = useState(false)
  // Bumped when the window switches center: every screen starts afresh there (forms and scroll
  // included), so nothing typed for one center is sent in another.
  const [centerSwitches, setCenterSwitches] = useState(0)
  const centerSwitched = useCallback(() => {
    setProfileId(null)
    setCenterSwitches((n) => n + 1)
  }, [])
  // An incident is reported from wherever the person is (the desk, a group session): Alt+I or the
  // navigation's button. A session's screen says where it is (incidents/place.ts); read at opening.
  const incidentPlace = useRef<IncidentPlace | null>(null)
  const [incident, setIncident] = useState<{ place: IncidentPlace | null } | null>(null)
  const reportIncident = useCallback(() => setIncident({ place: incidentPlace.current }), [])
  // A specialist's own credential and training reminders, shown from sign-in until they open their records.
  const [ownReminders, setOwnReminders] = useState(staff.role === 'peer_specialist')
  useIdleLock(idleLockSeconds, locked)
  // Today's board, attendance and the referral work list follow changes made at other desks and PCs.
  useLiveFeed()
  // A facilitator lands on their session when one is due within the hour (main decides which).
  const facilitator = staff.role === 'facilitator'
  const todays = useTodaySessions(facilitator)
  const [dueSession, setDueSession] = useState<number | null>(null)
  const due = todays.data?.due?.id ?? null
  // Adjusted while rendering (React's pattern for state that follows a prop), once per sign-in.
  if (due !== null && dueSession === null) {
    setDueSession(due)
    setView('groups')
  }

  const go = useCallback((next: View) => {
    setView(next)
    setVisited((previous) => (previous.has(next) ? previous : new Set([...previous, next])))
  }, [])

  // Each screen shows only for roles main lets call its channel (main refuses the rest anyway).
  const items: NavItem[] = (
    [
      { view: 'dashboard', label: t('nav.dashboard'), icon: <IconChartBar aria-hidden size={20} />, channel: 'reports.dashboard' },
      { view: 'desk', label: t('nav.desk'), icon: <IconDoorEnter aria-hidden size={20} />, channel: 'visits.today' },
      { view: 'participants', label: t('nav.participants'), icon: <IconUsers aria-hidden size={20} />, channel: 'participants.list' },
      { view: 'referrals', label: t('nav.referrals'), icon: <IconArrowFork aria-hidden size={20} />, channel: 'referrals.list' },
      { view: 'staff', label: t('nav.staff'), icon: <IconUserShield aria-hidden size={20} />, channel: 'staff.list' },
      { view: 'audit', label: t('nav.audit'), icon: <IconHistory aria-hidden size={20} />, channel: 'audit.list' },
      { view: 'settings', label: t('nav.settings'), icon: <IconSettings aria-hidden size={20} />, channel: 'catalog.all' },
      { view: 'backups', label: t('nav.backups'), icon: <IconDatabaseExport aria-hidden size={20} />, channel: 'backups.overview' },
      // Last, so the shortcuts of the screens before it stay as they were.
      { view: 'groups', label: t('nav.groups'), icon: <IconCalendarEvent aria-hidden size={20} />, channel: 'sessions.today' },
      { view: 'caseload', label: t('coaching.nav'), icon: <IconUserHeart aria-hidden size={20} />, channel: 'coaching.caseload' },
      { view: 'workforce', label: t('nav.workforce'), icon: <IconCertificate aria-hidden size={20} />, channel: 'workforce.person' },
      { view: 'incidents', label: t('incidents.nav'), icon: <IconAlertTriangle aria-hidden size={20} />, channel: 'incidents.list' },
      { view: 'centers', label: t('nav.centers'), icon: <IconBuildingCommunity aria-hidden size={20} />, channel: 'centers.list' },
    ] as const
  )
    .filter((item) => may(staff, item.channel))
    .map((item, index) => ({ view: item.view, label: item.label, icon: item.icon, shortcut: `Alt+${index + 1}` }))
  const shows = (target: View) => items.some((item) => item.view === target)

  // Work from inside a text field too (the [] below): Alt+digit types nothing there.
  useHotkeys([...items.map((item, index): [string, () => void] => [`alt+${index + 1}`, () => go(item.view)]), ['alt+I', reportIncident]], [])

  return (
    <CurrentStaffContext.Provider value={staff}>
    <OpenProfileContext.Provider value={setProfileId}>
    <IncidentPlaceContext.Provider value={incidentPlace}>
      <AppShell header={{ height: 64 }} navbar={{ width: 212, breakpoint: 0 }} padding="md">
        <AppShell.Header>
          <AppHeader centerName={centerName} staff={staff} onCenterSwitched={centerSwitched} />
        </AppShell.Header>
        <AppShell.Navbar p="sm" component="nav" aria-label={t('nav.label')}>
          <Stack justify="space-between" h="100%">
            <Stack gap={4}>
              {items.map((item) => (
                <NavLink
                  key={item.view}
                  component="button"
                  type="button"
                  label={item.label}
                  leftSection={item.icon}
                  title={item.shortcut}
                  active={view === item.view}
                  aria-current={view === item.view ? 'page' : undefined}
                  aria-keyshortcuts={item.shortcut}
                  onClick={() => go(item.view)}
                  variant="light"
                  fw={600}
                  styles={{ root: { borderRadius: 'var(--mantine-radius-md)', minHeight: 44 } }}
                />
              ))}
            </Stack>
            <Stack gap={6}>
              <Button
                color="red"
                variant="light"
                fullWidth
                px={10}
                h="auto"
                py={8}
                // The label wraps rather than being cut off ("Informar un incidente" is long).
                styles={{ label: { whiteSpace: 'normal', textAlign: 'left' } }}
                leftSection={<IconAlertTriangle aria-hidden size={18} />}
                onClick={reportIncident}
                aria-keyshortcuts="Alt+I"
                title={t('incidents.reportHint')}
              >
                {t('incidents.report')}
              </Button>
              <Text size="xs" c="dimmed">
                {t('nav.kioskHint')}
              </Text>
              <Button variant="default" fullWidth px={10} leftSection={<IconDeviceTablet aria-hidden size={18} />} onClick={() => setKioskOpen(true)}>
                {t('nav.kiosk')}
              </Button>
            </Stack>
          </Stack>
        </AppShell.Navbar>
        <AppShell.Main>
          <ServerLostBanner />
          <Fragment key={centerSwitches}>
          {ownReminders && view !== 'workforce' ? (
            <Box mb="md">
              <WorkforceReminders own onOpen={() => { setOwnReminders(false); go('workforce') }} />
            </Box>
          ) : null}
          <Box hidden={view !== 'desk'}>
            <FrontDeskScreen active={view === 'desk'} onShow={() => go('desk')} />
          </Box>
          {view === 'dashboard' && shows('dashboard') ? (
            <Lazy>
              <DashboardScreen onGo={go} canSeeBackups={shows('backups')} />
            </Lazy>
          ) : null}
          {visited.has('participants') && shows('participants') ? (
            <Box hidden={view !== 'participants'}>
              <Lazy>
                <ParticipantListScreen />
              </Lazy>
            </Box>
          ) : null}
          <Lazy>
            {view === 'groups' && shows('groups') ? <GroupsScreen initialSessionId={dueSession} /> : null}
            {view === 'referrals' && shows('referrals') ? <ReferralsScreen /> : null}
            {view === 'caseload' && shows('caseload') ? <CaseloadScreen /> : null}
            {view === 'staff' && shows('staff') ? <StaffScreen /> : null}
            {view === 'audit' && shows('audit') ? <AuditScreen /> : null}
            {view === 'settings' && shows('settings') ? <SettingsScreen /> : null}
            {view === 'backups' && shows('backups') ? <BackupsScreen /> : null}
            {view === 'workforce' && shows('workforce') ? <WorkforceScreen /> : null}
            {view === 'incidents' && shows('incidents') ? <IncidentsScreen centerName={centerName} onReport={reportIncident} /> : null}
            {view === 'centers' && shows('centers') ? <CentersScreen /> : null}
          </Lazy>
          </Fragment>
        </AppShell.Main>
      </AppShell>
      <ProfileDrawer id={profileId} onClose={() => setProfileId(null)} onOpenOther={setProfileId} />
      <KioskEnterDialog opened={kioskOpen} onClose={() => setKioskOpen(false)} />
      <StartIncidentDialog opened={incident !== null} place={incident?.place ?? null} onClose={() => setIncident(null)} />
    </IncidentPlaceContext.Provider>
    </OpenProfileContext.Provider>
    </CurrentStaffContext.Provider>
  )
}
