import CalendarIcon from '@mui/icons-material/EventAvailableOutlined'
import PolicyIcon from '@mui/icons-material/TimerOutlined'
import { CalendarCreate, CalendarEdit } from './CalendarForm.tsx'
import { CalendarList } from './CalendarList.tsx'
import { CalendarShow } from './CalendarShow.tsx'
import { SlaPolicyCreate, SlaPolicyEdit } from './SlaPolicyForm.tsx'
import { SlaPolicyList } from './SlaPolicyList.tsx'
import { SlaPolicyShow } from './SlaPolicyShow.tsx'

/** SLA policies: administrators edit them, supervisors read them. */
export const slaPolicies = {
  list: SlaPolicyList,
  edit: SlaPolicyEdit,
  create: SlaPolicyCreate,
  show: SlaPolicyShow,
  icon: PolicyIcon,
  recordRepresentation: 'name',
}
export const slaPoliciesReadOnly = {
  list: SlaPolicyList,
  show: SlaPolicyShow,
  icon: PolicyIcon,
  recordRepresentation: 'name',
}

/** Business calendars: administrators edit them, supervisors read them; both see the preview. */
export const businessCalendars = {
  list: CalendarList,
  edit: CalendarEdit,
  create: CalendarCreate,
  show: CalendarShow,
  icon: CalendarIcon,
  recordRepresentation: 'name',
}
export const businessCalendarsReadOnly = {
  list: CalendarList,
  show: CalendarShow,
  icon: CalendarIcon,
  recordRepresentation: 'name',
}
