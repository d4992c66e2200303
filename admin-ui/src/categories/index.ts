import CategoryIcon from '@mui/icons-material/CategoryOutlined'
import { CategoryList } from './CategoryList.tsx'

export default {
  list: CategoryList,
  icon: CategoryIcon,
  recordRepresentation: 'nameIt',
}
