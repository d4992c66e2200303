import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser'
import sanitizeHtml from 'sanitize-html'
import { INBOUND_LIMITS } from '../../ingest/inbound.schemas.ts'
import { decodeBody, fileNameOf, findPart, type MimePart, parseHeaderBlock, parseMime } from './mail.mime.ts'

/** One attachment or inline image of a message, bytes included. */
export interface MailAttachment {
  filename: string
  contentType: string
  content: Buffer
  /** Content-ID of an inline image, without angle brackets. */
  contentId?: string
}

/** What Filo needs of an email, decoded (charsets, RFC 2047) and with its HTML made safe. */
export interface MailContent {
  /** With angle brackets, as in the header; null when the message has none. */
  messageId: string | null
  inReplyTo: string | null
  /** Oldest first, each with angle brackets. */
  references: string[]
  from: { address: string; name?: string } | null
  subject: string
  text: string
  /** Sanitised: no script, style, form, event handler, remote image or tracking pixel. */
  html: string | null
  date: Date | null
  attachments: MailAttachment[]
}

/** Lowercased header name → first value, of the message's top level. */
export type Headers = Map<string, string>

const MESSAGE_ID = /<[^<>\s]{1,490}>/g

/** Message-IDs listed in a header value, in order. */
export const messageIdsIn = (value: string | string[] | undefined | null): string[] => {
  const joined = Array.isArray(value) ? value.join(' ') : (value ?? '')
  const found = joined.match(MESSAGE_ID) ?? []
  // mailparser gives ids without brackets when it normalised them.
  if (found.length === 0 && joined.trim()) {
    return joined
      .split(/[\s,]+/)
      .filter((id) => /^[^<>\s@]+@[^<>\s@]+$/.test(id))
      .map((id) => `<${id}>`)
  }
  return found
}

/**
 * HTML a citizen sent, made safe to show in the console: formatting and links
 * stay; scripts, styles, forms, frames, event handlers and every image that is
 * not an inline attachment (cid:) — remote images are how tracking pixels work —
 * are removed.
 */
export function sanitiseEmailHtml(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'font', 'center'],
    allowedAttributes: {
      a: ['href', 'title'],
      img: ['src', 'alt', 'width', 'height'],
      td: ['colspan', 'rowspan', 'align', 'valign'],
      th: ['colspan', 'rowspan', 'align', 'valign'],
      table: ['border', 'cellpadding', 'cellspacing'],
      font: ['color'],
      '*': ['dir', 'lang'],
    },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['cid'] },
    allowProtocolRelative: false,
    exclusiveFilter: (frame) => frame.tag === 'img' && !/^cid:/i.test(frame.attribs.src ?? ''),
    transformTags: {
      a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener noreferrer nofollow' } }),
    },
  })
}

const addressOf = (value: AddressObject | AddressObject[] | undefined) => {
  const first = (Array.isArray(value) ? value[0] : value)?.value[0]
  if (!first?.address) return null
  return { address: first.address.toLowerCase(), ...(first.name ? { name: first.name } : {}) }
}

const clip = (value: string, max: number) => (value.length > max ? value.slice(0, max) : value)

/** Decodes a message (any charset, quoted-printable or base64, RFC 2047 words) into what Filo keeps. */
export async function parseMailContent(raw: Buffer): Promise<MailContent> {
  const parsed: ParsedMail = await simpleParser(raw, {
    keepCidLinks: true,
    skipTextToHtml: true,
    skipTextLinks: true,
    skipImageLinks: true,
  })
  const html = typeof parsed.html === 'string' && parsed.html.trim() ? sanitiseEmailHtml(parsed.html) : null
  const inReplyTo = messageIdsIn(parsed.inReplyTo)[0] ?? null
  return {
    messageId: messageIdsIn(parsed.messageId)[0] ?? null,
    inReplyTo,
    references: messageIdsIn(parsed.references),
    from: addressOf(parsed.from),
    subject: (parsed.subject ?? '').replace(/\s+/g, ' ').trim(),
    text: (parsed.text ?? '').replace(/\r\n/g, '\n'),
    html: html && html.length <= INBOUND_LIMITS.html ? html : null,
    date: parsed.date ?? null,
    attachments: parsed.attachments.map((a) => ({
      filename: clip(a.filename ?? (a.contentType.startsWith('image/') ? 'immagine' : 'allegato'), 200),
      contentType: a.contentType,
      content: a.content,
      ...(a.contentId ? { contentId: a.contentId.replace(/^<|>$/g, '') } : {}),
    })),
  }
}

/** The top-level header block of a raw message. */
export function topHeaders(raw: Buffer): Headers {
  const text = raw.subarray(0, Math.min(raw.length, 256 * 1024)).toString('latin1')
  const end = /\r?\n\r?\n/.exec(text)
  return parseHeaderBlock(end ? text.slice(0, end.index) : text)
}

/**
 * Subjects only responders write. Kept to unambiguous phrases: a citizen's subject
 * starting "Assente…" or "Fuori sede…" is a request, not an out-of-office.
 */
const AUTO_SUBJECT =
  /^(auto(matic)?[ -]?reply|autoreply|risposta automatica|risposta di assenza|out of (the )?office|r[ée]ponse automatique|automatische antwort|abwesenheitsnotiz|respuesta autom[áa]tica)\b/i

/**
 * Whether a message was written by a machine, not a person: Auto-Submitted
 * other than "no" (RFC 3834), X-Autoreply / X-Autorespond, Precedence bulk, junk
 * or list, mailing-list headers, Exchange's auto-reply marks, or a vacation subject.
 */
export function isAutoReply(headers: Headers, subject: string): boolean {
  const autoSubmitted = headers.get('auto-submitted')?.toLowerCase()
  if (autoSubmitted && !autoSubmitted.startsWith('no')) return true
  if (headers.has('x-autoreply') || headers.has('x-autorespond') || headers.has('x-autoresponder'))
    return true
  if (/^(bulk|junk|list|auto_reply)$/i.test(headers.get('precedence')?.trim() ?? '')) return true
  if (headers.has('list-id') || headers.has('list-unsubscribe')) return true
  if (headers.get('x-ms-exchange-generated-message-source')) return true
  return AUTO_SUBJECT.test(subject.replace(/^(re|r|aw|fwd?|i):\s*/i, ''))
}

/** A delivery status notification (RFC 3464): who could not be reached, why, and which message it was. */
export interface DeliveryReport {
  /** Message-ID of the message that failed (from the returned message or headers). */
  originalMessageId: string | null
  recipient: string | null
  action: string | null
  status: string | null
  diagnostic: string | null
}

/** The delivery report of a multipart/report; null for anything else. */
export function parseDeliveryReport(raw: Buffer): DeliveryReport | null {
  const root = parseMime(raw)
  if (
    root.contentType !== 'multipart/report' ||
    root.params['report-type']?.toLowerCase() !== 'delivery-status'
  ) {
    return null
  }
  const statusPart = findPart(root, (p) => p.contentType === 'message/delivery-status')
  const returned = findPart(
    root,
    (p) => p.contentType === 'message/rfc822' || p.contentType === 'text/rfc822-headers',
  )
  const fields = new Map<string, string>()
  if (statusPart) {
    // Per-message fields, then per-recipient fields, separated by blank lines: the first recipient wins.
    const text = decodeBody(statusPart).toString('utf8')
    for (const block of text.split(/\r?\n\r?\n/)) {
      for (const [k, v] of parseHeaderBlock(block)) if (!fields.has(k)) fields.set(k, v)
    }
  }
  const originalHeaders = returned ? topHeaders(decodeBody(returned)) : new Map<string, string>()
  const after = (v: string | undefined) => (v ? v.replace(/^[a-z0-9-]+;\s*/i, '').trim() : null)
  return {
    originalMessageId: messageIdsIn(originalHeaders.get('message-id'))[0] ?? null,
    recipient: after(fields.get('final-recipient') ?? fields.get('original-recipient')),
    action: fields.get('action')?.toLowerCase() ?? null,
    status: fields.get('status') ?? null,
    diagnostic: after(fields.get('diagnostic-code'))?.slice(0, 500) ?? null,
  }
}

/** Re-exported for the PEC module, which walks the envelope itself. */
export { decodeBody, fileNameOf, findPart, type MimePart, parseMime }
