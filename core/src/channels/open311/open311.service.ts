import { sql } from 'kysely'
import { statusPageUrl } from '../../cases/case.repository.ts'
import type { Database } from '../../db/db.ts'
import { type Language, translate } from '../../i18n.ts'
import {
  type Answers,
  contentKey,
  type PublicCategory,
  type PublicReportService,
  SubmissionInvalid,
} from '../web/public-report.ts'
import type { Open311Value } from './open311.format.ts'
import type { Open311KeyService } from './open311.keys.ts'

/** An error the Open311 way: the HTTP status and the list of {code, description}. */
export class Open311Error extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 413 | 429,
    readonly errors: { code: number; description: string }[],
  ) {
    super(errors.map((e) => e.description).join('; '))
    this.name = 'Open311Error'
  }
}

const fail = (status: 400 | 403 | 404 | 413 | 429, description: string, code: number = status) =>
  new Open311Error(status, [{ code, description }])

/** The spec's limits of GET requests: a span of 90 days, the first 1000 requests. */
export const OPEN311_LIMITS = {
  spanDays: 90,
  requests: 1000,
  description: 4000,
  mediaUrl: 2000,
  ids: 200,
} as const

const W3_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/
const DAY_MS = 86_400_000
const OPEN_STATUSES = ['new', 'open', 'assigned', 'in_progress', 'waiting_citizen', 'waiting_third_party']
const CLOSED_STATUSES = ['resolved', 'closed']
/** Channels whose cases are service requests: reports of things in the street. */
const PUBLIC_CHANNELS = ['web', 'open311', 'field']

const w3 = (d: Date | null): string | null => (d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : null)

/** Open311's names for the fields a public report is checked on. */
const OPEN311_FIELD: Record<string, string> = {
  category: 'service_code',
  description: 'description',
  address: 'address_string',
  latitude: 'lat',
  firstName: 'first_name',
  lastName: 'last_name',
  email: 'email',
  phone: 'phone',
  photos: 'media_url',
}

export interface Open311Options {
  publicUrl: string
  /** Filo serves one jurisdiction; a request naming another gets 404. */
  jurisdictionId: string
}

/** The POST body as pairs, in order: `attribute[code]` and `attribute[code][]` may repeat. */
export type FormPairs = [string, string][]

export type Open311Service = ReturnType<typeof createOpen311Service>

/**
 * Open311 GeoReport v2 over Filo: categories are services (their code the
 * service_code, their questions the attributes), cases from the public channels are
 * service requests (their number the service_request_id), open or closed.
 */
export function createOpen311Service(
  db: Database,
  deps: { reports: PublicReportService; keys: Open311KeyService },
  opts: Open311Options,
) {
  const name = (c: { nameIt: string; nameEn: string }, lang: Language) =>
    lang === 'en' ? c.nameEn : c.nameIt

  function checkJurisdiction(jurisdictionId: string | undefined): void {
    if (jurisdictionId && jurisdictionId !== opts.jurisdictionId)
      throw fail(
        404,
        `jurisdiction_id ${jurisdictionId.slice(0, 100)} not found: this endpoint serves ${opts.jurisdictionId}`,
      )
  }

  function serviceOf(c: PublicCategory, lang: Language): Open311Value {
    return {
      service_code: c.code,
      service_name: name(c, lang),
      description: c.parentNameIt
        ? `${lang === 'en' ? c.parentNameEn : c.parentNameIt}: ${name(c, lang)}`
        : name(c, lang),
      metadata: c.questions.length > 0,
      type: 'realtime',
      keywords: [c.nameIt, c.nameEn].join(', '),
      group: (lang === 'en' ? c.parentNameEn : c.parentNameIt) ?? name(c, lang),
    }
  }

  const requestColumns = sql<string | null>`(select e.data->>'comment' from case_events e
      where e.case_id = c.id and e.kind in ('status_changed', 'reopened') order by e.id desc limit 1)`

  function baseRequests() {
    return db
      .selectFrom('cases as c')
      .leftJoin('categories as cat', 'cat.id', 'c.categoryId')
      .leftJoin('offices as o', 'o.id', 'c.officeId')
      .select([
        'c.id',
        'c.number',
        'c.status',
        'c.description',
        'c.createdAt',
        'c.updatedAt',
        'c.resolvedAt',
        'c.closedAt',
        'c.resolutionDueAt',
        'c.address',
        'c.civicNumber',
        'c.latitude',
        'c.longitude',
        'cat.code as serviceCode',
        'cat.nameIt',
        'cat.nameEn',
        'o.name as officeName',
        requestColumns.as('statusNotes'),
        sql<
          string | null
        >`(select s.media_url from public_submissions s where s.case_id = c.id order by s.id limit 1)`.as(
          'mediaUrl',
        ),
        sql<
          string | null
        >`(select m.body_text from case_messages m where m.case_id = c.id and m.direction = 'in' order by m.id limit 1)`.as(
          'firstText',
        ),
      ])
      .where('c.channel', 'in', PUBLIC_CHANNELS)
  }
  type RequestRow = Awaited<ReturnType<ReturnType<typeof baseRequests>['execute']>>[number]

  function requestOf(r: RequestRow, lang: Language): Open311Value {
    const closed = CLOSED_STATUSES.includes(r.status)
    // The citizen's own words (the first paragraph of what they sent), not staff's edits.
    const description =
      (r.firstText ?? r.description).split('\n\n')[0]?.slice(0, OPEN311_LIMITS.description) ?? ''
    return {
      service_request_id: r.number,
      status: closed ? 'closed' : 'open',
      status_notes: r.statusNotes,
      service_name: r.nameIt ? name({ nameIt: r.nameIt, nameEn: r.nameEn ?? r.nameIt }, lang) : null,
      service_code: r.serviceCode,
      description,
      agency_responsible: r.officeName,
      service_notice: null,
      requested_datetime: w3(r.createdAt),
      updated_datetime: w3(closed ? (r.closedAt ?? r.resolvedAt ?? r.updatedAt) : r.updatedAt),
      expected_datetime: w3(r.resolutionDueAt),
      address: r.address
        ? `${r.address}${r.civicNumber && !r.address.includes(r.civicNumber) ? ` ${r.civicNumber}` : ''}`
        : null,
      address_id: null,
      zipcode: r.latitude !== null ? '59100' : null,
      lat: r.latitude,
      long: r.longitude,
      media_url: r.mediaUrl,
    }
  }

  function parseDate(value: string | undefined, field: string): Date | null {
    if (!value) return null
    if (!W3_DATETIME.test(value) || Number.isNaN(Date.parse(value)))
      throw fail(400, `${field} must be a w3 datetime with a timezone, e.g. 2010-01-01T00:00:00Z`)
    return new Date(value)
  }

  const list = (value: string | undefined): string[] =>
    (value ?? '')
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean)

  return {
    discovery(): Open311Value {
      const base = opts.publicUrl.replace(/\/+$/, '')
      return {
        changeset: '2026-11-29 00:00',
        contact: `Comune di Prato, Filo: ${base}/segnala (segnalazioni) — URP, Piazza del Comune 2, Prato`,
        key_service:
          'Le chiavi api_key sono rilasciate dagli amministratori di Filo del Comune di Prato: scrivete all’URP indicando la vostra app.',
        endpoints: [
          {
            specification: 'http://wiki.open311.org/GeoReport_v2',
            url: `${base}/open311/v2`,
            changeset: '2026-11-29 00:00',
            type: 'production',
            formats: ['text/xml', 'application/json'],
          },
        ],
      }
    },

    async services(jurisdictionId: string | undefined, lang: Language): Promise<Open311Value> {
      checkJurisdiction(jurisdictionId)
      return (await deps.reports.categories()).map((c) => serviceOf(c, lang))
    },

    async definition(
      code: string,
      jurisdictionId: string | undefined,
      lang: Language,
    ): Promise<Open311Value> {
      checkJurisdiction(jurisdictionId)
      const c = (await deps.reports.categories()).find((x) => x.code === code)
      if (!c) throw fail(404, `service_code ${code.slice(0, 100)} not found`)
      return {
        service_code: c.code,
        attributes: c.questions.map((q, i) => ({
          variable: true,
          code: q.code,
          datatype: q.datatype,
          required: q.required,
          datatype_description: null,
          // Open311 counts from 1, in the order the form asks.
          order: i + 1,
          description: lang === 'en' ? q.labelEn : q.labelIt,
          ...(q.values
            ? { values: q.values.map((v) => ({ key: v.key, name: lang === 'en' ? v.nameEn : v.nameIt })) }
            : {}),
        })),
      }
    },

    async createRequest(pairs: FormPairs, lang: Language): Promise<Open311Value> {
      const fields: Record<string, string> = {}
      const answers: Answers = {}
      for (const [key, value] of pairs) {
        const attr = /^attribute\[([^\]]{1,60})\](\[\])?$/.exec(key)
        if (attr?.[1]) {
          const code = attr[1]
          const current = answers[code]
          answers[code] =
            current === undefined
              ? attr[2]
                ? [value]
                : value
              : [...(Array.isArray(current) ? current : [current]), value]
        } else if (!(key in fields)) fields[key] = value
      }
      const apiKeyId = await deps.keys.authenticate(fields.api_key ?? '')
      if (apiKeyId === null) throw fail(403, "Invalid api_key received -- can't proceed with create_request.")
      checkJurisdiction(fields.jurisdiction_id || undefined)
      const serviceCode = fields.service_code?.trim()
      if (!serviceCode) throw fail(400, 'service_code was not provided')
      const category = (await deps.reports.categories()).find((c) => c.code === serviceCode)
      if (!category) throw fail(404, `service_code ${serviceCode.slice(0, 100)} not found`)

      const errors: { code: number; description: string }[] = []
      const num = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : Number(v))
      const lat = num(fields.lat)
      const long = num(fields.long)
      const address = fields.address_string?.trim() || undefined
      if ((lat === undefined || long === undefined) && !address) {
        errors.push({
          code: 400,
          description: fields.address_id
            ? 'address_id is not supported here: send lat & long or address_string'
            : 'A full location parameter must be submitted: lat & long, or address_string',
        })
      }
      if ((lat !== undefined && Number.isNaN(lat)) || (long !== undefined && Number.isNaN(long)))
        errors.push({ code: 400, description: 'lat and long must be numbers (WGS84)' })
      const mediaUrl = fields.media_url?.trim() || undefined
      if (
        mediaUrl &&
        (mediaUrl.length > OPEN311_LIMITS.mediaUrl ||
          !/^https?:\/\/[^\s]+$/i.test(mediaUrl) ||
          !URL.canParse(mediaUrl))
      )
        errors.push({ code: 400, description: 'media_url must be an http or https URL' })
      for (const key of ['device_id', 'account_id'] as const) {
        if ((fields[key]?.length ?? 0) > 200)
          errors.push({ code: 400, description: `${key} is longer than 200 characters` })
      }
      if (errors.length) throw new Open311Error(400, errors)

      const description = (fields.description ?? '').trim()
      try {
        const result = await deps.reports.submit(
          {
            channel: 'open311',
            // The same post from the same app twice is one request: a client that retried after a timeout.
            externalId: `open311:${apiKeyId}:${contentKey(pairs.filter(([k]) => k !== 'api_key'))}`,
            categoryId: category.id,
            description,
            address,
            latitude: Number.isNaN(lat) ? undefined : lat,
            longitude: Number.isNaN(long) ? undefined : long,
            answers,
            sender: {
              ...(fields.first_name ? { firstName: fields.first_name } : {}),
              ...(fields.last_name ? { lastName: fields.last_name } : {}),
              ...(fields.email ? { email: fields.email } : {}),
              ...(fields.phone ? { phone: fields.phone } : {}),
            },
            apiKeyId,
            ...(mediaUrl ? { mediaUrl } : {}),
            ...(fields.device_id ? { deviceId: fields.device_id } : {}),
            ...(fields.account_id ? { accountId: fields.account_id } : {}),
          },
          { lang, requireContact: false, requireLocation: true },
        )
        return [
          {
            service_request_id: result.number,
            service_notice: `${translate(lang, 'open311_notice', { number: result.number })} ${statusPageUrl(opts.publicUrl, result.publicToken)}`,
            account_id: fields.account_id || null,
          },
        ]
      } catch (err) {
        if (!(err instanceof SubmissionInvalid)) throw err
        throw new Open311Error(
          400,
          err.problems.map((p) => ({
            code: 400,
            description: `${p.field.startsWith('attribute[') ? p.field : (OPEN311_FIELD[p.field] ?? p.field)}: ${translate(lang, p.code, p.params ?? {})}`,
          })),
        )
      }
    },

    async listRequests(
      query: {
        service_request_id?: string
        service_code?: string
        start_date?: string
        end_date?: string
        status?: string
        jurisdiction_id?: string
      },
      lang: Language,
    ): Promise<Open311Value> {
      checkJurisdiction(query.jurisdiction_id || undefined)
      const ids = list(query.service_request_id)
      if (ids.length > OPEN311_LIMITS.ids)
        throw fail(400, `at most ${OPEN311_LIMITS.ids} service_request_id at once`)
      let q = baseRequests()
      if (ids.length) {
        // "This overrides all other arguments."
        q = q.where('c.number', 'in', ids)
      } else {
        const statuses = list(query.status)
        const bad = statuses.find((s) => s !== 'open' && s !== 'closed')
        if (bad) throw fail(400, `status ${bad.slice(0, 40)} is not one of open, closed`)
        let start = parseDate(query.start_date, 'start_date')
        let end = parseDate(query.end_date, 'end_date')
        if (start && end && end < start) throw fail(400, 'end_date is before start_date')
        const span = OPEN311_LIMITS.spanDays * DAY_MS
        if (start && end && end.getTime() - start.getTime() > span)
          throw fail(
            400,
            `start_date and end_date may not be more than ${OPEN311_LIMITS.spanDays} days apart`,
          )
        if (!start && !end) end = new Date()
        if (!start && end) start = new Date(end.getTime() - span)
        if (start && !end) end = new Date(start.getTime() + span)
        q = q.where('c.createdAt', '>=', start as Date).where('c.createdAt', '<=', end as Date)
        const codes = list(query.service_code)
        if (codes.length) q = q.where('cat.code', 'in', codes.slice(0, 200))
        if (statuses.length === 1)
          q = q.where('c.status', 'in', statuses[0] === 'open' ? OPEN_STATUSES : CLOSED_STATUSES)
      }
      const rows = await q
        .orderBy('c.createdAt', 'desc')
        .orderBy('c.id', 'desc')
        .limit(OPEN311_LIMITS.requests)
        .execute()
      return rows.map((r) => requestOf(r, lang))
    },

    async getRequest(id: string, jurisdictionId: string | undefined, lang: Language): Promise<Open311Value> {
      checkJurisdiction(jurisdictionId)
      const row = await baseRequests().where('c.number', '=', id.slice(0, 60)).executeTakeFirst()
      if (!row) throw fail(404, `service_request_id ${id.slice(0, 60)} not found`)
      return [requestOf(row, lang)]
    },

    async token(token: string, jurisdictionId: string | undefined): Promise<Open311Value> {
      checkJurisdiction(jurisdictionId)
      const row = await db
        .selectFrom('publicSubmissions as s')
        .innerJoin('cases as c', 'c.id', 's.caseId')
        .select(['c.number', 's.token'])
        .where('s.token', '=', token.slice(0, 100))
        .where('s.channel', '=', 'open311')
        .executeTakeFirst()
      if (!row) throw fail(404, `token ${token.slice(0, 100)} not found`)
      return [{ service_request_id: row.number, token: row.token }]
    },
  }
}
