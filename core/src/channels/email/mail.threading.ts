import { resolveMergeTarget } from '../../cases/case.repository.ts'
import type { Executor } from '../../db/db.ts'
import { caseOfMessageId } from './mail.sign.ts'

export interface ThreadInput {
  inReplyTo: string | null
  /** Oldest first, as in the header. */
  references: string[]
  subject: string
  /** The sender's address, lowercased (for PEC, the certified sender). */
  senderEmail: string | null
}

/** How a message found its case, most trusted first. */
export type ThreadedBy = 'signed_message_id' | 'references' | 'subject_case_number'

export interface ThreadMatch {
  /** Already followed through merges. */
  caseId: number
  by: ThreadedBy
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * The case an email belongs to, by three keys in order of trust:
 * 1. a Message-ID of ours in In-Reply-To/References (signed: cannot be forged);
 * 2. In-Reply-To/References naming a message already stored on a case;
 * 3. the case number in the subject — only when the sender is that case's contact,
 *    so a stranger cannot write into someone else's case by typing its number.
 */
export async function findThread(
  db: Executor,
  input: ThreadInput,
  opts: { signingKey: string; caseNumberPrefix: string },
): Promise<ThreadMatch | null> {
  // Nearest first: In-Reply-To, then References from the newest.
  const ids = [
    ...new Set([input.inReplyTo, ...[...input.references].reverse()].filter((v): v is string => !!v)),
  ]
  for (const id of ids) {
    const caseId = caseOfMessageId(opts.signingKey, id)
    if (caseId === null) continue
    const exists = await db.selectFrom('cases').select('id').where('id', '=', caseId).executeTakeFirst()
    if (exists) return { caseId: await resolveMergeTarget(db, caseId), by: 'signed_message_id' }
  }

  if (ids.length > 0) {
    const known = await db
      .selectFrom('mailHeaders as h')
      .innerJoin('caseMessages as m', 'm.id', 'h.caseMessageId')
      .select(['m.caseId', 'h.messageId'])
      .where('h.messageId', 'in', ids.slice(0, 100))
      .execute()
    for (const id of ids) {
      const hit = known.find((k) => k.messageId === id)
      if (hit) return { caseId: await resolveMergeTarget(db, hit.caseId), by: 'references' }
    }
  }

  const sender = input.senderEmail?.toLowerCase()
  const number = new RegExp(`\\b${escapeRegExp(opts.caseNumberPrefix)}-\\d{4}-\\d{6}\\b`).exec(
    input.subject,
  )?.[0]
  if (sender && number) {
    const owned = await db
      .selectFrom('cases as c')
      .innerJoin('contactEmails as ce', 'ce.contactId', 'c.contactId')
      .select('c.id')
      .where('c.number', '=', number)
      .where('ce.email', '=', sender)
      .executeTakeFirst()
    if (owned) return { caseId: await resolveMergeTarget(db, owned.id), by: 'subject_case_number' }
  }
  return null
}
