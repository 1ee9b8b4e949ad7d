import { Notifications } from '@mantine/notifications'

/**
 * The notifications' container. main.tsx reads it lazily: it is empty when the sign-in form first
 * shows, and it brings react-transition-group and react-remove-scroll with it (issue 11). A
 * notification shown before it mounts waits in @mantine/notifications' store and appears then.
 */
export function AppNotifications() {
  // Bottom right: never over the search, the header or the panel being filled in.
  return <Notifications position="bottom-right" autoClose={4000} limit={3} />
}
