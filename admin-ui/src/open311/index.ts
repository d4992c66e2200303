import KeyIcon from '@mui/icons-material/KeyOutlined'
import { Open311KeyCreate, Open311KeyList } from './Open311Keys.tsx'

/** The api_keys of the apps that post to Open311 (admins): shown once, revoked, never edited. */
export default {
  list: Open311KeyList,
  create: Open311KeyCreate,
  icon: KeyIcon,
  recordRepresentation: 'name',
}
