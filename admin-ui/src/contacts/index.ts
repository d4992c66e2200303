import ContactIcon from '@mui/icons-material/PeopleAltOutlined'
import { ContactCreate, ContactEdit } from './ContactForm.tsx'
import { ContactList } from './ContactList.tsx'
import { ContactShow } from './ContactShow.tsx'

export default {
  list: ContactList,
  show: ContactShow,
  edit: ContactEdit,
  create: ContactCreate,
  icon: ContactIcon,
  recordRepresentation: 'displayName',
}
