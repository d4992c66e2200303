import type { ReactNode } from 'react'
import { AppBar, Layout, LoadingIndicator, LocalesMenuButton } from 'react-admin'
import { RingingIndicator } from '../calls/RingingIndicator.tsx'
import { ScreenPopDialog } from '../calls/ScreenPop.tsx'
import { LiveStatusIndicator, MentionToasts } from '../realtime/LiveAppBar.tsx'
import { RealtimeProvider } from '../realtime/RealtimeProvider.tsx'
import { ShortcutsHelp } from '../shortcuts/ShortcutsHelp.tsx'
import { AppMenu } from './AppMenu.tsx'
import { NotificationsBell } from './NotificationsBell.tsx'
import { PresenceMenu } from './PresenceMenu.tsx'
import { useDocumentLang } from './useDocumentLang.ts'

/** react-admin's app bar with the staff's presence and notifications beside the language menu. */
const FiloAppBar = () => (
  <AppBar
    toolbar={
      <>
        <LiveStatusIndicator />
        <RingingIndicator />
        <PresenceMenu />
        <NotificationsBell />
        <ShortcutsHelp />
        <LocalesMenuButton />
        <LoadingIndicator />
      </>
    }
  />
)

/**
 * react-admin's layout with the sectioned menu and the app bar above, inside the
 * tab's realtime connection (live updates, the incoming call's screen-pop).
 */
export const AppLayout = ({ children }: { children: ReactNode }) => {
  useDocumentLang()
  return (
    <RealtimeProvider>
      <Layout menu={AppMenu} appBar={FiloAppBar}>
        {children}
        <ScreenPopDialog />
        <MentionToasts />
      </Layout>
    </RealtimeProvider>
  )
}
