import SettingsIcon from '@mui/icons-material/NotificationsActiveOutlined'
import NotificationIcon from '@mui/icons-material/OutboxOutlined'
import TemplateIcon from '@mui/icons-material/TextSnippetOutlined'
import { CategorySettingsList } from './CategorySettings.tsx'
import { NotificationList } from './NotificationList.tsx'
import { TemplateEdit, TemplateList } from './TemplateForm.tsx'

/** The texts of citizen notifications, per trigger and language, with a live preview (admins). */
export const notificationTemplates = {
  list: TemplateList,
  edit: TemplateEdit,
  icon: TemplateIcon,
}

/** Which changes each category notifies the citizen of (admins). */
export const notificationSettings = {
  list: CategorySettingsList,
  icon: SettingsIcon,
}

/** Citizen notifications and their delivery, the failed ones first, with a retry (admins). */
export const notifications = {
  list: NotificationList,
  icon: NotificationIcon,
}
