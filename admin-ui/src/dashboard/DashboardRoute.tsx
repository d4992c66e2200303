import { lazy, Suspense } from 'react'
import { Loading } from 'react-admin'

/** The charts (and their library) load only when someone opens the dashboard. */
const DashboardPage = lazy(() => import('./DashboardPage.tsx'))

export const DashboardRoute = () => (
  <Suspense fallback={<Loading />}>
    <DashboardPage />
  </Suspense>
)
