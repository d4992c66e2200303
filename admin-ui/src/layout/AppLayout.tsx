import type { ReactNode } from 'react'
import { AppBar, Layout, LoadingIndicator, LocalesMenuButton } from 'react-admin'
import { AppMenu } from './AppMenu.tsx'
import { NotificationsBell } from './NotificationsBell.tsx'
import { PresenceMenu } from './PresenceMenu.tsx'
import { useDocumentLang } from './useDocumentLang.ts'

/** react-admin's app bar with the staff's presence and notifications beside the language menu. */
const FiloAppBar = () => (
  <AppBar
    toolbar={
      <>
        <PresenceMenu />
        <NotificationsBell />
        <LocalesMenuButton />
        <LoadingIndicator />
      </>
    }
  />
)

/** react-admin's layout with the sectioned menu and the app bar above. */
export const AppLayout = ({ children }: { children: ReactNode }) => {
  useDocumentLang()
  return (
    <Layout menu={AppMenu} appBar={FiloAppBar}>
      {children}
    </Layout>
  )
}
