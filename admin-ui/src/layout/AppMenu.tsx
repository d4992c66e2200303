import { ListSubheader } from '@mui/material'
import { Menu, usePermissions, useSidebarState, useTranslate } from 'react-admin'
import { QueueMenu } from '../workspace/QueueMenu.tsx'
import { isCallCentre } from '../workspace/useServedQueues.ts'
import {
  canAdminister,
  canEditCannedReplies,
  canManageQueues,
  canReadRoutingRules,
  canReadSla,
  canSeeDashboard,
} from './permissions.ts'

const Heading = ({ label }: { label: string }) => {
  const translate = useTranslate()
  const [open] = useSidebarState()
  // A collapsed sidebar shows icons only: the headings would be cut off.
  if (!open) return null
  return (
    <ListSubheader component="div" disableSticky sx={{ lineHeight: '36px', mt: 1, bgcolor: 'transparent' }}>
      {translate(label)}
    </ListSubheader>
  )
}

/** The sidebar in sections; Amministrazione shows what the signed-in role may manage. */
export const AppMenu = () => {
  const { permissions } = usePermissions<string>()
  const admin = canAdminister(permissions)
  const queues = canManageQueues(permissions)
  const routing = canReadRoutingRules(permissions)
  const sla = canReadSla(permissions)
  return (
    <Menu>
      {canSeeDashboard(permissions) && <Menu.ResourceItem name="dashboard" />}
      <Heading label="menu.cases" />
      <Menu.ResourceItem name="cases" />
      <QueueMenu />
      {isCallCentre(permissions) && <Menu.ResourceItem name="wallboard" />}
      <Heading label="menu.contacts" />
      <Menu.ResourceItem name="contacts" />
      {(admin || queues || routing || sla || canEditCannedReplies(permissions)) && (
        <Heading label="menu.administration" />
      )}
      {admin && <Menu.ResourceItem name="users" />}
      {admin && <Menu.ResourceItem name="offices" />}
      {admin && <Menu.ResourceItem name="categories" />}
      {queues && <Menu.ResourceItem name="queues" />}
      {routing && <Menu.ResourceItem name="routing-rules" />}
      {sla && <Menu.ResourceItem name="sla-policies" />}
      {sla && <Menu.ResourceItem name="business-calendars" />}
      {canEditCannedReplies(permissions) && <Menu.ResourceItem name="canned-replies" />}
      {admin && <Menu.ResourceItem name="mailboxes" />}
      {admin && <Menu.ResourceItem name="cti-tokens" />}
      {admin && <Menu.ResourceItem name="cti-blocked-numbers" />}
      {admin && <Menu.ResourceItem name="open311-keys" />}
      {admin && <Menu.ResourceItem name="io-settings" />}
      {admin && <Menu.ResourceItem name="notification-templates" />}
      {admin && <Menu.ResourceItem name="notification-settings" />}
      {admin && <Menu.ResourceItem name="notifications" />}
      {admin && <Menu.ResourceItem name="audit-log" />}
    </Menu>
  )
}
