import CannedIcon from '@mui/icons-material/QuickreplyOutlined'
import { CannedReplyCreate, CannedReplyEdit, CannedReplyList } from './CannedReplyForm.tsx'

/** Canned replies: supervisors and admins write them; staff insert them in the reply box. */
export default {
  list: CannedReplyList,
  create: CannedReplyCreate,
  edit: CannedReplyEdit,
  icon: CannedIcon,
  recordRepresentation: 'title',
}
