import { useEffect } from 'react'
import { Admin, Resource, usePermissions, useRedirect } from 'react-admin'
import audit from './audit/index.ts'
import { authProvider } from './authProvider.ts'
import cannedReplies from './canned/index.ts'
import cases from './cases/index.ts'
import categories from './categories/index.ts'
import contacts from './contacts/index.ts'
import { blockedNumbers, ctiTokens } from './cti/index.ts'
import dashboard, { DashboardRoute } from './dashboard/index.ts'
import { dataProvider } from './dataProvider.ts'
import { i18nProvider } from './i18n/index.ts'
import { it } from './i18n/it.ts'
import ioSettings from './io/index.ts'
import { AppLayout } from './layout/AppLayout.tsx'
import { LoginPage } from './layout/LoginPage.tsx'
import {
  canAdminister,
  canEditCannedReplies,
  canManageQueues,
  canReadRoutingRules,
  canReadSla,
  canSeeDashboard,
} from './layout/permissions.ts'
import mailboxes from './mailboxes/index.ts'
import { notificationSettings, notifications, notificationTemplates } from './notifications/index.ts'
import offices from './offices/index.ts'
import open311Keys from './open311/index.ts'
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

/** The home page: the dashboard for supervisors, the case list for everyone else. */
const HomePage = () => {
  const { permissions, isPending } = usePermissions<string>()
  const redirect = useRedirect()
  const supervisor = permissions === 'supervisor'
  useEffect(() => {
    if (!isPending && !supervisor) redirect('list', 'cases')
  }, [isPending, supervisor, redirect])
  return supervisor ? <DashboardRoute /> : null
}

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
    dashboard={HomePage}
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
        {canSeeDashboard(permissions) && <Resource name="dashboard" {...dashboard} />}
        <Resource
          name="canned-replies"
          {...(canEditCannedReplies(permissions) ? cannedReplies : referenceOnly(cannedReplies))}
        />
        {canAdminister(permissions) && <Resource name="mailboxes" {...mailboxes} />}
        {canAdminister(permissions) && <Resource name="mailbox-imports" />}
        {canAdminister(permissions) && <Resource name="cti-tokens" {...ctiTokens} />}
        {canAdminister(permissions) && <Resource name="cti-blocked-numbers" {...blockedNumbers} />}
        {canAdminister(permissions) && <Resource name="open311-keys" {...open311Keys} />}
        {canAdminister(permissions) && <Resource name="io-settings" {...ioSettings} />}
        {canAdminister(permissions) && <Resource name="notification-templates" {...notificationTemplates} />}
        {canAdminister(permissions) && <Resource name="notification-settings" {...notificationSettings} />}
        {canAdminister(permissions) && <Resource name="notifications" {...notifications} />}
      </>
    )}
  </Admin>
)
