import { sql } from 'kysely'
import type { Database } from '../../db/db.ts'
import { hashApiKey } from './open311.keys.ts'

/** The demo app's api_key, like the demo users' password: for trying Open311 on a demo installation. */
export const DEMO_OPEN311_KEY = 'filo-demo-open311-2026'
const DEMO_APP = 'App dimostrativa (demo)'

/**
 * Registers the demo Open311 app once, on a database that has no Open311 app yet;
 * returns its key when the demo app is registered (now or before) and not revoked.
 */
export async function seedOpen311DemoKey(db: Database): Promise<string | null> {
  await db.transaction().execute(async (trx) => {
    // Two starting processes must not both register it.
    await sql`select pg_advisory_xact_lock(hashtext('open311.demo_key'))`.execute(trx)
    const any = await trx.selectFrom('open311ApiKeys').select('id').limit(1).executeTakeFirst()
    if (any) return
    await trx
      .insertInto('open311ApiKeys')
      .values({ name: DEMO_APP, keyHash: hashApiKey(DEMO_OPEN311_KEY), keyHint: DEMO_OPEN311_KEY.slice(-4) })
      .execute()
  })
  const demo = await db
    .selectFrom('open311ApiKeys')
    .select('id')
    .where('keyHash', '=', hashApiKey(DEMO_OPEN311_KEY))
    .where('revokedAt', 'is', null)
    .executeTakeFirst()
  return demo ? DEMO_OPEN311_KEY : null
}
