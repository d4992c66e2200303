import type { ReactNode } from 'react'
import { Layout } from 'react-admin'
import { useDocumentLang } from './useDocumentLang.ts'

/** react-admin's layout; its app bar already offers the LocalesMenuButton. */
export const AppLayout = ({ children }: { children: ReactNode }) => {
  useDocumentLang()
  return <Layout>{children}</Layout>
}
