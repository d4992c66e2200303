import RoutingIcon from '@mui/icons-material/AltRouteOutlined'
import { RoutingRuleCreate, RoutingRuleEdit } from './RoutingRuleForm.tsx'
import { RoutingRuleList } from './RoutingRuleList.tsx'

/** Routing rules for administrators: list (with the rule tester), edit and create. */
export default {
  list: RoutingRuleList,
  edit: RoutingRuleEdit,
  create: RoutingRuleCreate,
  icon: RoutingIcon,
  recordRepresentation: 'name',
}

/** For supervisors: the same list and tester, nothing to edit (the API refuses their writes too). */
export const readOnly = {
  list: RoutingRuleList,
  icon: RoutingIcon,
  recordRepresentation: 'name',
}
