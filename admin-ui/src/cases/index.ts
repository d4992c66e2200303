import CaseIcon from '@mui/icons-material/AssignmentOutlined'
import { CaseCreate } from './CaseCreate.tsx'
import { CaseEdit } from './CaseEdit.tsx'
import { CaseList } from './CaseList.tsx'
import { CaseShow } from './CaseShow.tsx'

export default {
  list: CaseList,
  show: CaseShow,
  edit: CaseEdit,
  create: CaseCreate,
  icon: CaseIcon,
  recordRepresentation: 'number',
}
