import { useGetIdentity, useGetList, usePermissions } from 'react-admin'
import { CASE_STATUSES, type Queue } from '../types.ts'

/** Roles of the call centre, which answers for every queue (the API's CALL_CENTRE). */
export const CALL_CENTRE_ROLES = ['admin', 'supervisor', 'operator'] as const
export const isCallCentre = (role: unknown): boolean =>
  (CALL_CENTRE_ROLES as readonly unknown[]).includes(role)

/** Statuses of a case still to be worked: what a queue's count counts. */
export const OPEN_STATUSES = CASE_STATUSES.filter((s) => s !== 'resolved' && s !== 'closed')

/**
 * The queues the signed-in person serves: those they are a member of; for the call
 * centre, which answers for the whole Comune, every active queue when they are a
 * member of none.
 */
export function useServedQueues(): { queues: Queue[]; isPending: boolean } {
  const { identity } = useGetIdentity()
  const { permissions } = usePermissions<string>()
  const { data = [], isPending } = useGetList<Queue>('queues', {
    pagination: { page: 1, perPage: 100 },
    sort: { field: 'name', order: 'ASC' },
    filter: { active: true },
  })
  const mine = data.filter((q) => identity !== undefined && q.memberIds.includes(Number(identity.id)))
  return { queues: mine.length || !isCallCentre(permissions) ? mine : data, isPending }
}
