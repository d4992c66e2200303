import type { Executor } from '../db/db.ts'
import { SHARED_QUEUES } from './seed.data.ts'

/**
 * How the demo's queues assign: each office's queue to that office's staff, the
 * least loaded first; the shared queues (call centre, triage) by hand, among the
 * operators. Nobody is available until they say so (PUT /me/presence).
 */
export async function seedQueueAssignment(trx: Executor): Promise<void> {
  const shared = SHARED_QUEUES.map((q) => q.code)
  await trx
    .updateTable('queues')
    .set({ assignmentStrategy: 'least_loaded' })
    .where('officeId', 'is not', null)
    .execute()
  await trx.updateTable('queues').set({ assignmentStrategy: 'manual' }).where('code', 'in', shared).execute()
  await trx
    .insertInto('queueMembers')
    .columns(['queueId', 'userId'])
    .expression((eb) =>
      eb
        .selectFrom('queues as q')
        .innerJoin('staffOffices as so', 'so.officeId', 'q.officeId')
        .innerJoin('staffUsers as u', 'u.id', 'so.staffUserId')
        .select(['q.id', 'u.id as userId'])
        .where('u.role', '=', 'office_staff'),
    )
    .onConflict((oc) => oc.doNothing())
    .execute()
  await trx
    .insertInto('queueMembers')
    .columns(['queueId', 'userId'])
    .expression((eb) =>
      eb
        .selectFrom('queues as q')
        .innerJoin('staffUsers as u', (join) => join.on('u.role', '=', 'operator'))
        .select(['q.id', 'u.id as userId'])
        .where('q.code', 'in', shared),
    )
    .onConflict((oc) => oc.doNothing())
    .execute()
}
