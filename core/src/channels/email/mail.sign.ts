import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * Message-IDs of the mail Filo sends carry the case they belong to, signed with
 * MAIL_SIGNING_KEY: `<filo.c123.k3j9x0aa.<signature>@comune.prato.it>`. A reply's
 * In-Reply-To or References naming one finds its case without any lookup, and a
 * made-up id naming another case fails the signature.
 */
const SIGNED_ID = /^<?filo\.c(\d{1,15})\.([a-z0-9]{8,32})\.([a-f0-9]{24})@[^<>@\s]+>?$/i

const signature = (key: string, caseId: number, nonce: string): Buffer =>
  createHmac('sha256', `filo.mail.message-id:${key}`).update(`${caseId}.${nonce}`).digest().subarray(0, 12)

/** A new signed Message-ID (angle brackets included) for mail about `caseId`. */
export function signedMessageId(key: string, caseId: number, domain: string): string {
  const nonce = randomBytes(8).toString('hex')
  return `<filo.c${caseId}.${nonce}.${signature(key, caseId, nonce).toString('hex')}@${domain}>`
}

/** The case a Message-ID of ours names, or null when it is not ours or its signature is wrong. */
export function caseOfMessageId(key: string, messageId: string): number | null {
  const match = SIGNED_ID.exec(messageId.trim())
  if (!match) return null
  const caseId = Number(match[1])
  const nonce = (match[2] ?? '').toLowerCase()
  const given = Buffer.from((match[3] ?? '').toLowerCase(), 'hex')
  const expected = signature(key, caseId, nonce)
  return given.length === expected.length && timingSafeEqual(given, expected) && caseId > 0 ? caseId : null
}
