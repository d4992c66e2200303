import OfficeIcon from '@mui/icons-material/ApartmentOutlined'
import { OfficeCreate, OfficeEdit } from './OfficeForm.tsx'
import { OfficeList } from './OfficeList.tsx'

export default {
  list: OfficeList,
  edit: OfficeEdit,
  create: OfficeCreate,
  icon: OfficeIcon,
  recordRepresentation: 'name',
}
