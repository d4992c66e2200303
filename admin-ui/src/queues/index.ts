import QueueIcon from '@mui/icons-material/InboxOutlined'
import { QueueCreate, QueueEdit } from './QueueForm.tsx'
import { QueueList } from './QueueList.tsx'

export default {
  list: QueueList,
  edit: QueueEdit,
  create: QueueCreate,
  icon: QueueIcon,
  recordRepresentation: 'name',
}
