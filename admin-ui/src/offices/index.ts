import OfficeIcon from '@mui/icons-material/ApartmentOutlined'
import { OfficeList } from './OfficeList.tsx'

export default {
  list: OfficeList,
  icon: OfficeIcon,
  recordRepresentation: 'name',
}
