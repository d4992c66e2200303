import WallboardIcon from '@mui/icons-material/MonitorHeartOutlined'
import { WallboardPage } from './WallboardPage.tsx'

/** The wallboard is a page, not a list of records: a resource only for its route and menu entry. */
export default {
  list: WallboardPage,
  icon: WallboardIcon,
}
