import type {
  CategorySettingView,
  IoMessageStatus,
  NotificationChannel,
  NotificationTrigger,
  NotificationView,
  PreviewBody,
  PreviewView,
  TemplateKind,
  TemplateView,
} from '@filo/core/notifications/notification.schemas'
import { httpClient } from '../httpClient.ts'

export type { CategorySettingView, NotificationView, PreviewBody, PreviewView, TemplateView }
export type NotificationState = NotificationView['state']

// The schemas' module pulls in TypeBox; the console only needs these values, checked against their types.
/** What a citizen is told about, in the order a case lives through them. */
export const NOTIFICATION_TRIGGERS = [
  'received',
  'taken_in_charge',
  'waiting_citizen',
  'resolved',
  'closed',
  'reopened',
  'reply',
] as const satisfies readonly NotificationTrigger[]
/** Every template: one per trigger, and the digest of a burst of changes. */
export const TEMPLATE_KINDS = [...NOTIFICATION_TRIGGERS, 'digest'] as const satisfies readonly TemplateKind[]
export const NOTIFICATION_CHANNELS = ['io', 'email'] as const satisfies readonly NotificationChannel[]
export const NOTIFICATION_STATES = [
  'queued',
  'sending',
  'retry',
  'sent',
  'failed',
  'uncertain',
  'fallback',
] as const satisfies readonly NotificationState[]
/** The states that need an administrator: the workers gave up, or cannot tell whether it left. */
export const RETRYABLE_STATES = ['failed', 'uncertain'] as const satisfies readonly NotificationState[]
export const IO_MESSAGE_STATUSES = [
  'ACCEPTED',
  'THROTTLED',
  'FAILED',
  'PROCESSED',
  'REJECTED',
] as const satisfies readonly IoMessageStatus[]

/** The variables a template may use, as the API accepts them. */
export const TEMPLATE_VARIABLES = [
  'name',
  'number',
  'subject',
  'status',
  'statusUrl',
  'answer',
  'comment',
  'message',
  'steps',
] as const

export const channelChoices = NOTIFICATION_CHANNELS.map((id) => ({ id, name: `notification.channel.${id}` }))
export const stateChoices = NOTIFICATION_STATES.map((id) => ({ id, name: `notification.state.${id}` }))
export const languageChoices = [
  { id: 'it', name: 'notification.language.it' },
  { id: 'en', name: 'notification.language.en' },
]

const API = '/api/v1'
const post = async <T>(path: string, body: unknown): Promise<T> =>
  (await httpClient(`${API}${path}`, { method: 'POST', body: JSON.stringify(body) })).json as T

/** The notification screens' calls beyond react-admin's CRUD. */
export const notificationApi = {
  /** A template as being edited, rendered with sample values or a case's. */
  preview: (body: PreviewBody) => post<PreviewView>('/notification-templates/preview', body),
  /** A failed or uncertain notification queued again; the reason goes to the audit log. */
  retry: (id: number, reason?: string) =>
    post<NotificationView>(`/notifications/${id}/retry`, reason ? { reason } : {}),
}
