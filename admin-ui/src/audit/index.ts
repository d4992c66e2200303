import AuditIcon from '@mui/icons-material/HistoryEduOutlined'
import { AuditList } from './AuditList.tsx'

export default {
  list: AuditList,
  icon: AuditIcon,
}
