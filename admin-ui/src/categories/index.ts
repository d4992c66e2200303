import CategoryIcon from '@mui/icons-material/CategoryOutlined'
import { CategoryCreate, CategoryEdit } from './CategoryForm.tsx'
import { CategoryList } from './CategoryList.tsx'

export default {
  list: CategoryList,
  edit: CategoryEdit,
  create: CategoryCreate,
  icon: CategoryIcon,
  recordRepresentation: 'nameIt',
}
