import type { CannedReplyView, RenderedCannedReply } from '@filo/core/canned/canned-reply.schemas'
import type { BulkReassignResult } from '@filo/core/cases/case.bulk'
import type { ReplyView } from '@filo/core/channels/email/mailbox.schemas'
import { httpClient } from '../httpClient.ts'

export type { BulkReassignResult, CannedReplyView, RenderedCannedReply, ReplyView }

/** What POST /cases/:id/replies answers: an email queued, or a notification (IO or email) queued. */
export type ReplyResult =
  | ReplyView
  | {
      caseId: number
      eventId: number
      via: 'notification'
      state: 'queued'
      attachments: ReplyView['attachments']
    }

const API = '/api/v1'
const post = async <T>(path: string, body: unknown): Promise<T> =>
  (await httpClient(`${API}${path}`, { method: 'POST', body: JSON.stringify(body) })).json as T

/** The reply box's and the bulk action's calls, beyond react-admin's CRUD. */
export const replyApi = {
  send: (caseId: number, body: { text: string; to?: string; subject?: string; attachmentIds?: number[] }) =>
    post<ReplyResult>(`/cases/${caseId}/replies`, body),
  cannedReplies: async (language: string): Promise<CannedReplyView[]> => {
    const query = new URLSearchParams({
      filter: JSON.stringify({ active: true }),
      sort: JSON.stringify(['title', 'ASC']),
      range: JSON.stringify([0, 199]),
    })
    const all = (await httpClient(`${API}/canned-replies?${query}`)).json as CannedReplyView[]
    // The console's language first, then the others.
    return [...all].sort((a, b) => Number(b.language === language) - Number(a.language === language))
  },
  renderCanned: (id: number, caseId: number) =>
    post<RenderedCannedReply>(`/canned-replies/${id}/render`, { caseId }),
  bulkReassign: (body: { cases: { id: number; version: number }[]; assigneeId?: number; queueId?: number }) =>
    post<BulkReassignResult>('/cases/bulk-reassign', body),
}
