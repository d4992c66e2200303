import QueueIcon from '@mui/icons-material/InboxOutlined'
import { QueueList } from './QueueList.tsx'

export default {
  list: QueueList,
  icon: QueueIcon,
  recordRepresentation: 'name',
}
