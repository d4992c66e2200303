import DashboardIcon from '@mui/icons-material/InsightsOutlined'
import { DashboardRoute } from './DashboardRoute.tsx'

/** The dashboard is a page, not a list of records: a resource only for its route and menu entry. */
export default {
  list: DashboardRoute,
  icon: DashboardIcon,
}

export { DashboardRoute }
