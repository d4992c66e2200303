import { Admin, Resource } from 'react-admin'
import { authProvider } from './authProvider.ts'
import cases from './cases/index.ts'
import categories from './categories/index.ts'
import { dataProvider } from './dataProvider.ts'
import { i18nProvider } from './i18n/index.ts'
import { it } from './i18n/it.ts'
import { AppLayout } from './layout/AppLayout.tsx'
import { LoginPage } from './layout/LoginPage.tsx'
import offices from './offices/index.ts'
import queues from './queues/index.ts'

/** The Filo console: react-admin on the API's cookie session, Italian first. */
export const App = () => (
  <Admin
    title={it.app.title}
    authProvider={authProvider}
    dataProvider={dataProvider}
    i18nProvider={i18nProvider}
    loginPage={LoginPage}
    layout={AppLayout}
    requireAuth
    disableTelemetry
  >
    <Resource name="cases" {...cases} />
    <Resource name="offices" {...offices} />
    <Resource name="categories" {...categories} />
    <Resource name="queues" {...queues} />
    <Resource name="case-events" />
  </Admin>
)
