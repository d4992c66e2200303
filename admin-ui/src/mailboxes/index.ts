import MailboxIcon from '@mui/icons-material/MarkEmailReadOutlined'
import { MailboxCreate, MailboxEdit, MailboxList } from './MailboxForm.tsx'

/** Email and PEC mailboxes (admins): accounts, polling health, what became of each message. */
export default {
  list: MailboxList,
  create: MailboxCreate,
  edit: MailboxEdit,
  icon: MailboxIcon,
  recordRepresentation: 'name',
}
