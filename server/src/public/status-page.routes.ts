import { createHash, randomBytes } from 'node:crypto'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  caseIdForToken,
  type Deps,
  findPublicDocument,
  findPublicStatus,
  ingest,
  type Language,
  LocalDiskStorage,
  pickLanguage,
  translate,
} from '@filo/core'
import type { FastifyReply, FastifyRequest } from 'fastify'
import Type from 'typebox'
import { contentDisposition } from '../routes/attachments.routes.ts'
import './status-page.messages.ts'

/** Page views one address may make per minute. */
export const STATUS_PAGE_PER_MINUTE = 60
/** What a citizen may add from the page. */
export const STATUS_PAGE_TEXT_MAX = 4000
export const STATUS_PAGE_PHOTO_MAX_BYTES = 10 * 1024 * 1024

/** The photo types accepted, told by their first bytes (never by what the browser says). */
function photoType(head: Buffer): string | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg'
  if (
    head.length >= 8 &&
    head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  )
    return 'image/png'
  if (
    head.length >= 12 &&
    head.subarray(0, 4).toString('latin1') === 'RIFF' &&
    head.subarray(8, 12).toString('latin1') === 'WEBP'
  )
    return 'image/webp'
  return null
}

const esc = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  )

const sizeOf = (bytes: number, lang: Language): string => {
  const n = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'it-IT', { maximumFractionDigits: 1 })
  return bytes < 1024 * 1024
    ? `${n.format(Math.max(1, bytes / 1024))} KB`
    : `${n.format(bytes / (1024 * 1024))} MB`
}

const dateOf = (d: Date, lang: Language): string =>
  new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'it-IT', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Rome',
  }).format(d)

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1a1a1a;background:#f6f7f9;line-height:1.5;font-size:1.05rem}
header{background:#0b4f8a;color:#fff;padding:1rem 1.25rem}
header p{margin:0;font-weight:600}
main{max-width:42rem;margin:1.5rem auto;padding:0 1.25rem}
h1{font-size:1.6rem;margin:0 0 1rem}
h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.4rem 1rem;background:#fff;padding:1rem;border-radius:.4rem;border:1px solid #c9cdd3}
dt{font-weight:600}
dd{margin:0}
form{background:#fff;border:1px solid #c9cdd3;border-radius:.4rem;padding:1rem}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
textarea{width:100%;box-sizing:border-box;min-height:6rem;font:inherit;padding:.5rem;border:1px solid #5f6368;border-radius:.3rem}
input[type=file]{font:inherit}
button{margin-top:1rem;font:inherit;font-weight:600;background:#0b4f8a;color:#fff;border:0;border-radius:.3rem;padding:.5rem 1.25rem;cursor:pointer}
button:focus-visible,textarea:focus-visible,input:focus-visible{outline:3px solid #f5a300;outline-offset:2px}
.notice{background:#e6f4ea;border:1px solid #1e7b34;color:#0d3d1a;padding:.75rem 1rem;border-radius:.4rem}
.status{display:inline-block;padding:.1rem .5rem;border-radius:.3rem;background:#e3effa;color:#0b3a66;font-weight:600}
blockquote{background:#fff;margin:0;padding:1rem;border-left:.3rem solid #0b4f8a;white-space:pre-wrap}
ol{background:#fff;border:1px solid #c9cdd3;border-radius:.4rem;padding:1rem 1rem 1rem 2.5rem}
a{color:#0b4f8a}
a:focus-visible{outline:3px solid #f5a300;outline-offset:2px}
footer{max-width:42rem;margin:2rem auto;padding:0 1.25rem;color:#4a4f55;font-size:.95rem}`

function page(lang: Language, title: string, body: string, switchTo: string): string {
  const t = (code: string) => esc(translate(lang, code))
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><p>${t('status_page.site')}</p></header>
<main>
${body}
</main>
<footer>
<p>${t('status_page.privacy')}</p>
<p><a href="${esc(switchTo)}" lang="${lang === 'it' ? 'en' : 'it'}">${t('status_page.other_language')}</a></p>
</footer>
</body>
</html>`
}

/**
 * The public status page of a case, `/stato/<token>` (the link every notification
 * carries): no login, Italian or English (`?lang=en`, else Accept-Language), only
 * what the citizen may see — number, subject, category, status in words, dates and
 * the public answer once resolved; never notes, staff or personal data. An unknown
 * token and a malformed one get the same 404 page. Rate-limited per address.
 */
export const statusPageRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const prefix = `${deps.config.queuePrefix}:status-page`
  const bump = async (key: string): Promise<number> => {
    const count = deps.redis
      .multi()
      .incr(key)
      .expire(key, 120, 'NX')
      .exec()
      .then((r) => Number(r?.[0]?.[1] ?? 0))
    const timeout = new Promise<number>((resolve) => setTimeout(() => resolve(0), 500).unref())
    return Promise.race([count, timeout]).catch(() => 0)
  }

  const languageFor = (req: FastifyRequest, asked: string | undefined): Language =>
    asked === 'en' || asked === 'it' ? asked : pickLanguage(req.headers['accept-language'])

  const send = (reply: FastifyReply, status: number, html: string) =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .header('x-robots-tag', 'noindex, nofollow')
      .header('x-content-type-options', 'nosniff')
      .header(
        'content-security-policy',
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
      )
      .send(html)

  /** A page that only refuses: a title and one sentence, in the reader's language. */
  const refusal = (reply: FastifyReply, lang: Language, status: number, key: string) => {
    const title = translate(lang, `status_page.${key}_title`)
    const switchTo = `?lang=${lang === 'it' ? 'en' : 'it'}`
    const body = `<h1>${esc(title)}</h1><p>${esc(translate(lang, `status_page.${key}`))}</p>`
    return send(reply, status, page(lang, title, body, switchTo))
  }

  /** Whether this address went over the page's requests per minute (the three routes share one count). */
  const overLimit = async (req: FastifyRequest): Promise<boolean> => {
    const who = createHash('sha256').update(req.ip).digest('hex').slice(0, 24)
    const minute = Math.floor(Date.now() / 60_000)
    return (await bump(`${prefix}:${who}:${minute}`)) > STATUS_PAGE_PER_MINUTE
  }

  app.get(
    '/stato/:token',
    {
      schema: {
        hide: true,
        params: Type.Object({ token: Type.String({ maxLength: 100 }) }),
        querystring: Type.Object({
          lang: Type.Optional(Type.String({ maxLength: 5 })),
          sent: Type.Optional(Type.String({ maxLength: 1 })),
        }),
        response: { 200: Type.String(), 404: Type.String(), 429: Type.String() },
      },
    },
    async (req, reply) => {
      const lang = languageFor(req, req.query.lang)
      const t = (code: string, params: Record<string, string> = {}) => esc(translate(lang, code, params))
      const switchTo = `?lang=${lang === 'it' ? 'en' : 'it'}`
      if (await overLimit(req)) {
        reply.header('retry-after', '60')
        return refusal(reply, lang, 429, 'rate_limited')
      }
      const status = await findPublicStatus(deps.db, req.params.token)
      if (!status) return refusal(reply, lang, 404, 'not_found')
      const rows: [string, string][] = [
        ['status_page.number', esc(status.number)],
        ['status_page.subject', esc(status.subject)],
        ...(status.category
          ? [['status_page.category', esc(status.category[lang])] as [string, string]]
          : []),
        ['status_page.status', `<span class="status">${t(`citizen_status.${status.status}`)}</span>`],
        ['status_page.created', esc(dateOf(status.createdAt, lang))],
        ['status_page.updated', esc(dateOf(status.updatedAt, lang))],
        ...(status.resolvedAt
          ? [['status_page.resolved', esc(dateOf(status.resolvedAt, lang))] as [string, string]]
          : []),
        ...(status.closedAt
          ? [['status_page.closed', esc(dateOf(status.closedAt, lang))] as [string, string]]
          : []),
      ]
      const body = [
        `<h1>${t('status_page.heading')}</h1>`,
        `<dl>${rows.map(([k, v]) => `<dt>${t(k)}</dt><dd>${v}</dd>`).join('')}</dl>`,
        status.answer
          ? `<h2>${t('status_page.answer')}</h2><blockquote>${esc(status.answer)}</blockquote>`
          : '',
        status.documents.length
          ? `<h2>${t('status_page.documents')}</h2><p>${t('status_page.documents_help')}</p><ul>${status.documents
              .map(
                (d) =>
                  `<li><a href="${esc(req.params.token)}/documenti/${d.id}" download>${esc(d.filename)}</a> (${esc(sizeOf(d.size, lang))})</li>`,
              )
              .join('')}</ul>`
          : '',
        req.query.sent === '1' ? `<p class="notice" role="status">${t('status_page.add_thanks')}</p>` : '',
        `<h2>${t('status_page.history')}</h2><ol>${status.history
          .map(
            (h) =>
              `<li><time datetime="${h.at.toISOString()}">${esc(dateOf(h.at, lang))}</time> — ${t(`citizen_status.${h.status}`)}</li>`,
          )
          .join('')}</ol>`,
        `<h2 id="add">${t('status_page.add_heading')}</h2>`,
        `<form method="post" enctype="multipart/form-data" action="?lang=${lang}" aria-labelledby="add">`,
        `<input type="hidden" name="nonce" value="${randomBytes(16).toString('hex')}">`,
        `<label for="text">${t('status_page.add_text')}</label>`,
        `<textarea id="text" name="text" required maxlength="${STATUS_PAGE_TEXT_MAX}"></textarea>`,
        `<label for="photo">${t('status_page.add_photo')}</label>`,
        '<input type="file" id="photo" name="photo" accept="image/jpeg,image/png,image/webp">',
        `<button type="submit">${t('status_page.add_submit')}</button>`,
        '</form>',
      ].join('\n')
      return send(
        reply,
        200,
        page(lang, translate(lang, 'status_page.title', { number: status.number }), body, switchTo),
      )
    },
  )

  const storage = new LocalDiskStorage(deps.config.attachmentsDir)

  /**
   * A file staff sent the citizen with a reply, from the status page: only those (no
   * other file of the case), while not removed; anything else is the same 404.
   * Rate-limited with the page, and served so that no browser runs or renders it inline.
   */
  app.get(
    '/stato/:token/documenti/:id',
    {
      schema: {
        hide: true,
        params: Type.Object({
          token: Type.String({ maxLength: 100 }),
          id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
        }),
        querystring: Type.Object({ lang: Type.Optional(Type.String({ maxLength: 5 })) }),
      },
    },
    async (req, reply) => {
      const lang = languageFor(req, req.query.lang)
      if (await overLimit(req)) {
        reply.header('retry-after', '60')
        return refusal(reply, lang, 429, 'rate_limited')
      }
      const doc = await findPublicDocument(deps.db, req.params.token, req.params.id)
      const stream = doc ? await storage.get(doc.sha256).catch(() => null) : null
      if (!doc || !stream) return refusal(reply, lang, 404, 'not_found')
      const text = doc.contentType.startsWith('text/') || doc.contentType === 'message/rfc822'
      return reply
        .header('content-type', text ? `${doc.contentType}; charset=utf-8` : doc.contentType)
        .header('content-length', String(doc.size))
        .header('content-disposition', contentDisposition(doc.filename))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, no-store')
        .header('referrer-policy', 'no-referrer')
        .header('x-robots-tag', 'noindex, nofollow')
        .send(stream)
    },
  )

  /**
   * What the citizen adds from the page — a text and at most one photo — arrives on
   * the case through ingest (channel web), like any message from them: the hidden
   * nonce of the form is its idempotency key, so a form sent twice adds it once.
   */
  app.post(
    '/stato/:token',
    {
      bodyLimit: STATUS_PAGE_PHOTO_MAX_BYTES + 64 * 1024,
      schema: {
        hide: true,
        consumes: ['multipart/form-data'],
        params: Type.Object({ token: Type.String({ maxLength: 100 }) }),
        querystring: Type.Object({ lang: Type.Optional(Type.String({ maxLength: 5 })) }),
        response: { 400: Type.String(), 404: Type.String(), 429: Type.String() },
      },
    },
    async (req, reply) => {
      const lang = languageFor(req, req.query.lang)
      const t = (code: string) => esc(translate(lang, code))
      const switchTo = `?lang=${lang === 'it' ? 'en' : 'it'}`
      if (await overLimit(req)) {
        reply.header('retry-after', '60')
        return refusal(reply, lang, 429, 'rate_limited')
      }
      const caseId = await caseIdForToken(deps.db, req.params.token)
      if (caseId === null) return refusal(reply, lang, 404, 'not_found')
      const invalid = () => {
        const title = translate(lang, 'status_page.add_invalid_title')
        return send(
          reply,
          400,
          page(
            lang,
            title,
            `<h1>${esc(title)}</h1><p>${t('status_page.add_invalid')}</p><p><a href="?lang=${lang}">${t('status_page.back')}</a></p>`,
            switchTo,
          ),
        )
      }
      let text = ''
      let nonce = ''
      let photo: { data: Buffer; filename: string; contentType: string } | null = null
      try {
        if (!req.isMultipart()) return invalid()
        for await (const part of req.parts({
          limits: {
            fields: 4,
            fieldSize: STATUS_PAGE_TEXT_MAX * 4,
            files: 1,
            fileSize: STATUS_PAGE_PHOTO_MAX_BYTES,
            parts: 5,
          },
        })) {
          if (part.type === 'field') {
            if (part.fieldname === 'text') text = String(part.value ?? '')
            if (part.fieldname === 'nonce') nonce = String(part.value ?? '')
          } else if (part.fieldname === 'photo') {
            const data = await part.toBuffer()
            if (data.length === 0) continue
            const contentType = photoType(data)
            if (!contentType || part.file.truncated) return invalid()
            photo = { data, filename: (part.filename || 'foto').slice(0, 200), contentType }
          } else {
            await part.toBuffer()
          }
        }
      } catch {
        return invalid()
      }
      text = text.trim()
      if (!text || text.length > STATUS_PAGE_TEXT_MAX || !/^[a-f0-9]{32}$/.test(nonce)) return invalid()
      const attachments = []
      if (photo) {
        const blob = await storage.put(photo.data, { maxBytes: STATUS_PAGE_PHOTO_MAX_BYTES })
        attachments.push({
          filename: photo.filename,
          contentType: photo.contentType,
          size: blob.size,
          ref: `sha256:${blob.sha256}`,
        })
      }
      await ingest(
        deps.db,
        {
          channel: 'web',
          externalId: `status-page:${caseId}:${nonce}`,
          threadCaseId: caseId,
          sender: {},
          subject: translate(lang, 'status_page.add_heading'),
          text,
          attachments,
          receivedAt: new Date().toISOString(),
        },
        { caseNumberPrefix: deps.config.caseNumberPrefix, closedCasePolicy: deps.config.closedCasePolicy },
      )
      // Post/redirect/get: a reload of the thank-you page sends nothing again.
      return reply.header('cache-control', 'no-store').redirect(`?lang=${lang}&sent=1`, 303)
    },
  )
}
