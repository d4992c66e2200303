import { Admin, Resource } from 'react-admin'
import audit from './audit/index.ts'
import { authProvider } from './authProvider.ts'
import cases from './cases/index.ts'
import categories from './categories/index.ts'
import contacts from './contacts/index.ts'
import { dataProvider } from './dataProvider.ts'
import { i18nProvider } from './i18n/index.ts'
import { it } from './i18n/it.ts'
import { AppLayout } from './layout/AppLayout.tsx'
import { LoginPage } from './layout/LoginPage.tsx'
import { canAdminister, canManageQueues, canReadRoutingRules, canReadSla } from './layout/permissions.ts'
import offices from './offices/index.ts'
import queues from './queues/index.ts'
import routingRules, { readOnly as routingRulesReadOnly } from './routing/index.ts'
import {
  businessCalendars,
  businessCalendarsReadOnly,
  slaPolicies,
  slaPoliciesReadOnly,
} from './sla/index.ts'
import users from './users/index.ts'
import wallboard from './wallboard/index.ts'
import { isCallCentre } from './workspace/useServedQueues.ts'

/** Without views: the resource still names references (an assignee, an office) for everyone. */
const referenceOnly = <T extends { recordRepresentation?: string }>(resource: T) => ({
  recordRepresentation: resource.recordRepresentation,
})

/**
 * The Filo console: react-admin on the API's cookie session, Italian first.
 * Administration screens exist only for the roles the API lets manage them.
 */
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
    {(permissions: unknown) => (
      <>
        <Resource name="cases" {...cases} />
        <Resource name="contacts" {...contacts} />
        <Resource name="users" {...(canAdminister(permissions) ? users : referenceOnly(users))} />
        <Resource name="offices" {...(canAdminister(permissions) ? offices : referenceOnly(offices))} />
        <Resource
          name="categories"
          {...(canAdminister(permissions) ? categories : referenceOnly(categories))}
        />
        <Resource name="queues" {...(canManageQueues(permissions) ? queues : referenceOnly(queues))} />
        {canReadRoutingRules(permissions) && (
          <Resource
            name="routing-rules"
            {...(canAdminister(permissions) ? routingRules : routingRulesReadOnly)}
          />
        )}
        {canReadSla(permissions) && (
          <Resource
            name="sla-policies"
            {...(canAdminister(permissions) ? slaPolicies : slaPoliciesReadOnly)}
          />
        )}
        {canReadSla(permissions) && (
          <Resource
            name="business-calendars"
            {...(canAdminister(permissions) ? businessCalendars : businessCalendarsReadOnly)}
          />
        )}
        {canAdminister(permissions) && <Resource name="audit-log" {...audit} />}
        <Resource name="case-events" />
        {isCallCentre(permissions) && <Resource name="wallboard" {...wallboard} />}
      </>
    )}
  </Admin>
)
