import UserIcon from '@mui/icons-material/BadgeOutlined'
import { UserCreate, UserEdit } from './UserForm.tsx'
import { UserList } from './UserList.tsx'

export default {
  list: UserList,
  edit: UserEdit,
  create: UserCreate,
  icon: UserIcon,
  recordRepresentation: 'fullName',
}
