import type { ReactNode } from 'react'
import { Layout } from 'react-admin'
import { AppMenu } from './AppMenu.tsx'
import { useDocumentLang } from './useDocumentLang.ts'

/** react-admin's layout with the sectioned menu; its app bar already offers the LocalesMenuButton. */
export const AppLayout = ({ children }: { children: ReactNode }) => {
  useDocumentLang()
  return <Layout menu={AppMenu}>{children}</Layout>
}
