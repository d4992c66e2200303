import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  contentKey,
  type Deps,
  DomainError,
  type FieldProblem,
  GazetteerAddress,
  type Language,
  PHOTO_LIMITS,
  type PublicCategory,
  type PublicPhoto,
  pickLanguage,
  SubmissionInvalid,
  statusPageUrl,
  translate,
} from '@filo/core'
import type { FastifyReply, FastifyRequest } from 'fastify'
import Type from 'typebox'
import { createRateLimiter } from '../http/rate-limit.ts'
import {
  categoryStep,
  donePage,
  type FormError,
  type FormValues,
  page,
  refusedPage,
  reportForm,
  type StreetLine,
} from './web-form.page.ts'

/** Reports one address may send in WEB_FORM_WINDOW_S; the rest get 429 until the window ends. */
export const WEB_FORM_POSTS_PER_WINDOW = 20
export const WEB_FORM_WINDOW_S = 600
/** Address suggestions and photo positions per address and minute (one per keystroke, debounced). */
export const WEB_FORM_LOOKUPS_PER_MINUTE = 300
/** Fields of the form (answers included) and the longest one in bytes (4000 characters of up to 4 bytes each, with room): bounds for busboy. */
const FORM_LIMITS = { fields: 120, fieldSize: 20_000, parts: 130 } as const

const CLIENT_SCRIPT = readFileSync(path.join(import.meta.dirname, 'web-form.client.js'), 'utf8')
/** The order the form asks things in, which its error summary follows (questions come first). */
const FIELD_ORDER = [
  'description',
  'address',
  'latitude',
  'longitude',
  'photos',
  'firstName',
  'lastName',
  'email',
  'phone',
  'fiscalCode',
  'privacy',
]
const SUBMISSION_ID = /^[A-Za-z0-9-]{8,64}$/

const LangQuery = Type.Object(
  {
    lang: Type.Optional(Type.String({ maxLength: 5 })),
    categoria: Type.Optional(Type.String({ maxLength: 20 })),
  },
  { additionalProperties: true },
)
const SuggestQuery = Type.Object({ q: Type.String({ maxLength: 200 }) })
const Position = Type.Object({ latitude: Type.Number(), longitude: Type.Number() })

/** The page's language: ?lang=, else the browser's Accept-Language, else Italian. */
function languageOf(req: FastifyRequest): Language {
  const asked = (req.query as { lang?: string } | undefined)?.lang
  if (asked === 'it' || asked === 'en') return asked
  return pickLanguage(req.headers['accept-language'])
}

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
}

/**
 * The public web form at /segnala: server-rendered, no login, Italian and English.
 * Step one picks the kind of problem (a GET form); step two asks its questions, the
 * description, the place (address with suggestions from the local gazetteer, or
 * coordinates — a click on the schematic map when JavaScript runs), photos and contact
 * details, and posts everything as multipart. Works without JavaScript; the script
 * (/segnala/segnala.js) only adds address suggestions, the map and the photo's position.
 */
export const webFormRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const { publicReports, gazetteer } = deps.services
  const limiter = createRateLimiter(deps.redis, `${deps.config.queuePrefix}:webform`)
  let streets: Promise<StreetLine[]> | null = null
  const streetLines = () => {
    streets ??= deps.db
      .selectFrom('gazetteerStreets')
      .select(['fromLat', 'fromLon', 'toLat', 'toLon'])
      .execute()
      .catch((err: unknown) => {
        streets = null
        throw err
      })
    return streets
  }

  const lookupsLimited = () =>
    new DomainError('rate_limited', 'public_rate_limited', 'too many lookups', { params: { minutes: 1 } })
  const html = (reply: FastifyReply, status: number, body: string) =>
    reply.status(status).headers(SECURITY_HEADERS).type('text/html; charset=utf-8').send(body)
  const switchUrl = (lang: Language, categoryId?: number) =>
    `/segnala?lang=${lang === 'it' ? 'en' : 'it'}${categoryId ? `&categoria=${categoryId}` : ''}`

  async function renderForm(
    reply: FastifyReply,
    status: number,
    lang: Language,
    category: PublicCategory,
    values: FormValues,
    errors: FormError[],
    submissionId: string,
  ) {
    const title = `${errors.length ? translate(lang, 'webform.errors_title') : ''}${translate(lang, 'webform.title')}`
    const body = reportForm({ lang, category, values, errors, submissionId, streets: await streetLines() })
    return html(reply, status, page(lang, title, body, switchUrl(lang, category.id), true))
  }

  app.get('/segnala', { schema: { hide: true, querystring: LangQuery } }, async (req, reply) => {
    const lang = languageOf(req)
    const categories = await publicReports.categories()
    const asked = req.query.categoria
    const category = asked ? categories.find((c) => String(c.id) === asked) : undefined
    if (!category) {
      const error =
        asked !== undefined
          ? translate(lang, asked ? 'public_category_unknown' : 'public_category_required')
          : null
      const title = `${error ? translate(lang, 'webform.errors_title') : ''}${translate(lang, 'webform.title')}`
      return html(
        reply,
        error ? 400 : 200,
        page(lang, title, categoryStep(lang, categories, error), switchUrl(lang), false),
      )
    }
    return renderForm(reply, 200, lang, category, {}, [], randomUUID())
  })

  app.get('/segnala/segnala.js', { schema: { hide: true } }, async (_req, reply) =>
    reply
      .header('cache-control', 'public, max-age=300')
      .type('text/javascript; charset=utf-8')
      .send(CLIENT_SCRIPT),
  )

  app.get(
    '/segnala/indirizzi',
    { schema: { hide: true, querystring: SuggestQuery, response: { 200: Type.Array(GazetteerAddress) } } },
    async (req) => {
      if (await limiter.exceeded('lookup', req.ip, WEB_FORM_LOOKUPS_PER_MINUTE, 60)) throw lookupsLimited()
      return gazetteer.suggest(req.query.q)
    },
  )

  // The photo's own bytes, posted by the script as they are: where EXIF says it was taken.
  app.register(async (photos) => {
    photos.addContentTypeParser(
      ['image/jpeg', 'image/png', 'image/webp'],
      { parseAs: 'buffer', bodyLimit: PHOTO_LIMITS.maxBytes },
      (_req, body, done) => done(null, body),
    )
    photos.post(
      '/segnala/posizione-foto',
      {
        bodyLimit: PHOTO_LIMITS.maxBytes,
        schema: { hide: true, response: { 200: Position, 204: Type.Null() } },
      },
      async (req, reply) => {
        if (await limiter.exceeded('lookup', req.ip, WEB_FORM_LOOKUPS_PER_MINUTE, 60)) throw lookupsLimited()
        const body = req.body
        const at = Buffer.isBuffer(body) ? await publicReports.photoPosition(body) : null
        return at ? at : reply.status(204).send(null)
      },
    )
  })

  app.post('/segnala', { schema: { hide: true, querystring: LangQuery } }, async (req, reply) => {
    let lang = languageOf(req)
    if (await limiter.exceeded('post', req.ip, WEB_FORM_POSTS_PER_WINDOW, WEB_FORM_WINDOW_S)) {
      const message = translate(lang, 'public_rate_limited', { minutes: WEB_FORM_WINDOW_S / 60 })
      reply.header('retry-after', String(WEB_FORM_WINDOW_S))
      return html(
        reply,
        429,
        page(
          lang,
          translate(lang, 'webform.refused_title'),
          refusedPage(lang, message),
          switchUrl(lang),
          false,
        ),
      )
    }
    if (!req.isMultipart()) {
      return html(
        reply,
        415,
        page(
          lang,
          translate(lang, 'webform.refused_title'),
          refusedPage(lang, translate(lang, 'unsupported_media_type')),
          switchUrl(lang),
          false,
        ),
      )
    }

    // Every part is read: fields into values, files into memory up to their limit.
    const values: FormValues = {}
    const photos: PublicPhoto[] = []
    const tooLarge: string[] = []
    let tooMany = false
    // Past the size limit busboy stops reading and marks the file truncated: the form says
    // which photo. (throwFileSizeLimit is a plugin option the types only know at registration.)
    const partsOptions = {
      limits: { ...FORM_LIMITS, files: PHOTO_LIMITS.files + 1, fileSize: PHOTO_LIMITS.maxBytes + 1 },
      throwFileSizeLimit: false,
    }
    for await (const part of req.parts(partsOptions)) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer().catch(() => null)
        if (!part.filename && (!bytes || bytes.length === 0)) continue // an empty file input
        if (photos.length + tooLarge.length >= PHOTO_LIMITS.files) tooMany = true
        else if (!bytes || part.file.truncated || bytes.length > PHOTO_LIMITS.maxBytes)
          tooLarge.push(part.filename)
        else photos.push({ filename: part.filename, declaredType: part.mimetype, bytes })
        continue
      }
      const value = String(part.value)
      const current = values[part.fieldname]
      values[part.fieldname] =
        current === undefined ? value : [...(Array.isArray(current) ? current : [current]), value]
    }
    const one = (name: string): string => {
      const v = values[name]
      return (Array.isArray(v) ? v[0] : v) ?? ''
    }
    if (one('lang') === 'en' || one('lang') === 'it') lang = one('lang') as Language

    // The honeypot: people never see it, bots fill every field.
    if (one('website').trim()) {
      req.log.info({ honeypot: true }, 'web form: honeypot filled')
      return html(
        reply,
        400,
        page(
          lang,
          translate(lang, 'webform.refused_title'),
          refusedPage(lang, translate(lang, 'public_spam')),
          switchUrl(lang),
          false,
        ),
      )
    }

    const categories = await publicReports.categories()
    const category = categories.find((c) => String(c.id) === one('category'))
    if (!category) {
      const error = translate(lang, one('category') ? 'public_category_unknown' : 'public_category_required')
      return html(
        reply,
        400,
        page(
          lang,
          `${translate(lang, 'webform.errors_title')}${translate(lang, 'webform.title')}`,
          categoryStep(lang, categories, error),
          switchUrl(lang),
          false,
        ),
      )
    }

    const answers: Record<string, string | string[]> = {}
    for (const [name, v] of Object.entries(values)) {
      const code = /^attribute\[(.+)\]$/.exec(name)?.[1]
      if (code) answers[code] = v
    }
    const submissionId = SUBMISSION_ID.test(one('submission_id')) ? one('submission_id') : ''
    // The form's own problems; core adds everything it finds, and all are shown together.
    const extraProblems: FieldProblem[] = []
    if (one('privacy') !== 'yes') extraProblems.push({ field: 'privacy', code: 'public_privacy_required' })
    if (tooMany)
      extraProblems.push({
        field: 'photos',
        code: 'public_photo_too_many',
        params: { max: PHOTO_LIMITS.files },
      })
    for (const filename of tooLarge)
      extraProblems.push({
        field: 'photos',
        code: 'public_photo_too_large',
        params: { filename, mb: PHOTO_LIMITS.maxBytes / 1024 / 1024 },
      })
    const coordinate = (name: string): number | undefined => {
      const text = one(name).trim().replace(',', '.')
      return text === '' ? undefined : Number(text)
    }

    try {
      const result = await publicReports.submit(
        {
          channel: 'web',
          // The page's own id: the same form posted twice (a double click, a reload) is one case.
          externalId: `web:${submissionId || contentKey([values])}`,
          categoryId: category.id,
          description: one('description'),
          address: one('address'),
          latitude: coordinate('lat'),
          longitude: coordinate('lon'),
          answers,
          sender: {
            firstName: one('first_name'),
            lastName: one('last_name'),
            email: one('email'),
            phone: one('phone'),
            fiscalCode: one('fiscal_code'),
          },
          photos,
        },
        { lang, requireContact: true, requireLocation: true, extraProblems },
      )
      const body = donePage({
        lang,
        number: result.number,
        statusUrl: statusPageUrl(deps.config.publicUrl, result.publicToken),
        locatedBy: result.locatedBy,
        photos: photos.length,
      })
      return html(
        reply,
        200,
        page(
          lang,
          `${translate(lang, 'webform.done_title')} — ${result.number}`,
          body,
          switchUrl(lang),
          false,
        ),
      )
    } catch (err) {
      if (!(err instanceof SubmissionInvalid)) throw err
      const rank = (field: string) => {
        const q = category.questions.findIndex((x) => `attribute[${x.code}]` === field)
        return q >= 0 ? q + 1 : FIELD_ORDER.indexOf(field) >= 0 ? 100 + FIELD_ORDER.indexOf(field) : 99
      }
      const errors: FormError[] = [...err.problems]
        .sort((a, b) => rank(a.field) - rank(b.field))
        .map((p) => ({ field: p.field, message: translate(lang, p.code, p.params ?? {}) }))
      const fresh = submissionId || randomUUID()
      return renderForm(reply, 400, lang, category, values, errors, fresh)
    }
  })
}
