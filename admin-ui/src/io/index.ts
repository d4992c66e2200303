import IoIcon from '@mui/icons-material/SettingsInputAntennaOutlined'
import { IoSettingsPage } from './IoSettingsPage.tsx'

/** IO settings are a page, not a list of records: a resource only for its route and menu entry (admins). */
export default {
  list: IoSettingsPage,
  icon: IoIcon,
}
