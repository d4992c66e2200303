import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import { type CategoryQuestion, questionsFromDb } from '../../admin/category.questions.ts'
import { insertAttachment } from '../../attachments/attachment.repository.ts'
import type { BlobStorage } from '../../attachments/storage.ts'
import { recordAudit } from '../../audit/audit.repository.ts'
import { insertEvent } from '../../cases/case.repository.ts'
import { checkFiscalCode } from '../../contacts/codice-fiscale.ts'
import { toE164 } from '../../contacts/phone.ts'
import type { Database, Executor } from '../../db/db.ts'
import { DomainError, type MessageParams } from '../../errors.ts'
import type { GazetteerService } from '../../gazetteer/gazetteer.service.ts'
import { inPrato } from '../../gazetteer/gazetteer.service.ts'
import type { Language } from '../../i18n.ts'
import type { Actor } from '../../iam/iam.schemas.ts'
import type { InboundMessage, IngestResult } from '../../ingest/inbound.schemas.ts'
import { ingest } from '../../ingest/ingest.service.ts'
import { PHOTO_LIMITS, type PhotoPosition, photoPosition, photoType, stripPhoto } from './photo.ts'
import './public.messages.ts'

/** One problem with a submission, named by its field, as a message code with parameters. */
export interface FieldProblem {
  field: string
  code: string
  params?: MessageParams
}

/** The problems of a submission, all at once, so a form can show each by its field. */
export class SubmissionInvalid extends DomainError {
  constructor(readonly problems: FieldProblem[]) {
    super('invalid', 'public_submission_invalid', problems.map((p) => `${p.field}: ${p.code}`).join('; '), {
      details: problems.map((p) => ({ path: `/${p.field}`, code: p.code, params: p.params ?? {} })),
    })
  }
}

export const PUBLIC_LIMITS = {
  descriptionMin: 10,
  description: 4000,
  address: 300,
  name: 100,
  answerString: 200,
  answerText: 2000,
} as const

/** A category as the public channels offer it: its names, office, parent and questions. */
export interface PublicCategory {
  id: number
  code: string
  nameIt: string
  nameEn: string
  parentId: number | null
  parentNameIt: string | null
  parentNameEn: string | null
  officeName: string | null
  questions: CategoryQuestion[]
}

/** The answers to a category's questions: one value, or several for a multivaluelist. */
export type Answers = Record<string, string | string[]>

export interface PublicPhoto {
  filename: string
  declaredType: string
  bytes: Buffer
}

/** A report from the public (or the field app), before it is checked. */
export interface PublicReportInput {
  channel: 'web' | 'open311' | 'field'
  /** The idempotency key: the same report twice makes one case. */
  externalId: string
  categoryId: number
  description: string
  address?: string | undefined
  latitude?: number | undefined
  longitude?: number | undefined
  answers: Answers
  sender: { firstName?: string; lastName?: string; email?: string; phone?: string; fiscalCode?: string }
  photos?: PublicPhoto[]
  apiKeyId?: number
  mediaUrl?: string
  deviceId?: string
  accountId?: string
  /** The field worker reporting (field app): the case is theirs. */
  actor?: Actor
}

export interface PublicReportResult {
  caseId: number
  number: string
  publicToken: string
  /** Open311's token of the submission. */
  token: string
  duplicate: boolean
  /** Where the case was placed when the citizen gave no point: the gazetteer or a photo. */
  locatedBy: 'citizen' | 'gazetteer' | 'photo' | null
}

const label = (q: CategoryQuestion, lang: Language) => (lang === 'en' ? q.labelEn : q.labelIt)
const DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/

/**
 * Checks answers against a category's questions: required ones present, list answers
 * among the values, numbers numeric, dates ISO 8601, unknown codes refused. Field
 * names are `attribute[code]`, as Open311 spells them; the form maps them back.
 */
export function checkAnswers(
  questions: readonly CategoryQuestion[],
  raw: Answers,
  lang: Language,
): {
  answers: Answers
  problems: FieldProblem[]
} {
  const problems: FieldProblem[] = []
  const answers: Answers = {}
  const known = new Set(questions.map((q) => q.code))
  for (const code of Object.keys(raw)) {
    if (!known.has(code))
      problems.push({
        field: `attribute[${code}]`,
        code: 'public_answer_unknown',
        params: { code: code.slice(0, 60) },
      })
  }
  for (const q of questions) {
    const field = `attribute[${q.code}]`
    const given = raw[q.code]
    const values = (Array.isArray(given) ? given : given === undefined ? [] : [given])
      .map((v) => v.trim())
      .filter((v) => v !== '')
    const params = { label: label(q, lang) }
    if (values.length === 0) {
      if (q.required) problems.push({ field, code: 'public_answer_required', params })
      continue
    }
    switch (q.datatype) {
      case 'singlevaluelist':
      case 'multivaluelist': {
        const keys = new Set((q.values ?? []).map((v) => v.key))
        const chosen = q.datatype === 'singlevaluelist' ? values.slice(0, 1) : [...new Set(values)]
        if (values.length > 1 && q.datatype === 'singlevaluelist') {
          problems.push({ field, code: 'public_answer_invalid_choice', params })
        } else if (chosen.some((v) => !keys.has(v))) {
          problems.push({ field, code: 'public_answer_invalid_choice', params })
        } else answers[q.code] = q.datatype === 'multivaluelist' ? chosen : (chosen[0] ?? '')
        break
      }
      case 'number': {
        const v = values[0] ?? ''
        if (values.length > 1 || !/^-?\d{1,12}(?:[.,]\d{1,6})?$/.test(v))
          problems.push({ field, code: 'public_answer_not_number', params })
        else answers[q.code] = v.replace(',', '.')
        break
      }
      case 'datetime': {
        const v = values[0] ?? ''
        if (values.length > 1 || !DATE_TIME.test(v) || Number.isNaN(Date.parse(v)))
          problems.push({ field, code: 'public_answer_not_datetime', params })
        else answers[q.code] = v
        break
      }
      case 'string':
      case 'text': {
        const v = values.join(' ')
        const max = q.datatype === 'string' ? PUBLIC_LIMITS.answerString : PUBLIC_LIMITS.answerText
        if (v.length > max)
          problems.push({ field, code: 'public_answer_too_long', params: { ...params, max } })
        else if (q.datatype === 'string' && /[\r\n]/.test(v))
          problems.push({ field, code: 'public_answer_one_line', params })
        else answers[q.code] = v
        break
      }
    }
  }
  return { answers, problems }
}

/** The answers in words, in Italian, for the case's description: what staff read. */
function answersText(questions: readonly CategoryQuestion[], answers: Answers): string {
  return questions
    .filter((q) => answers[q.code] !== undefined)
    .map((q) => {
      const given = answers[q.code]
      const list = Array.isArray(given) ? given : [given ?? '']
      const words = list.map((v) => q.values?.find((o) => o.key === v)?.nameIt ?? v)
      return `${q.labelIt}: ${words.join(', ')}`
    })
    .join('\n')
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,60}$/

/** Deterministic external id from content, for callers with no key of their own (a bot, an app retry). */
export const contentKey = (parts: readonly unknown[]): string =>
  createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 40)

export type PublicReportService = ReturnType<typeof createPublicReportService>

/**
 * Reports from the public channels (the web form, Open311, the field app), in one
 * place: the categories they may choose and their questions, every check with each
 * problem named by its field, photos typed from their bytes and stored without their
 * metadata, and the case through ingest — with the submission row and the photos'
 * attachment rows in ingest's transaction, so a report sent twice makes one case.
 */
export function createPublicReportService(
  db: Database,
  deps: {
    storage: BlobStorage
    gazetteer: GazetteerService
    caseNumberPrefix: string
    closedCasePolicy?: 'reopen' | 'follow_up'
  },
) {
  async function categories(): Promise<PublicCategory[]> {
    const rows = await db
      .selectFrom('categories as c')
      .leftJoin('categories as p', 'p.id', 'c.parentId')
      .leftJoin('offices as o', 'o.id', 'c.officeId')
      .select([
        'c.id',
        'c.code',
        'c.nameIt',
        'c.nameEn',
        'c.parentId',
        'p.nameIt as parentNameIt',
        'p.nameEn as parentNameEn',
        'o.name as officeName',
        sql<string>`c.questions::text`.as('questions'),
      ])
      .where('c.active', '=', true)
      .orderBy('c.sortOrder')
      .orderBy('c.nameIt')
      .execute()
    return rows.map((r) => ({ ...r, questions: questionsFromDb(r.questions) }))
  }

  async function category(id: number): Promise<PublicCategory | undefined> {
    return (await categories()).find((c) => c.id === id)
  }

  /** The contact details checked and normalised; problems named by field. */
  function checkSender(sender: PublicReportInput['sender'], problems: FieldProblem[]) {
    const out: PublicReportInput['sender'] = {}
    for (const key of ['firstName', 'lastName'] as const) {
      const v = sender[key]?.trim()
      if (!v) continue
      if (v.length > PUBLIC_LIMITS.name)
        problems.push({ field: key, code: 'public_name_too_long', params: { max: PUBLIC_LIMITS.name } })
      else out[key] = v
    }
    const email = sender.email?.trim()
    if (email) {
      if (!EMAIL.test(email) || email.length > 254)
        problems.push({ field: 'email', code: 'public_email_invalid' })
      else out.email = email.toLowerCase()
    }
    const phone = sender.phone?.trim()
    if (phone) {
      const e164 = phone.length <= 40 ? toE164(phone) : null
      if (!e164) problems.push({ field: 'phone', code: 'public_phone_invalid' })
      else out.phone = e164
    }
    const cf = sender.fiscalCode?.trim()
    if (cf) {
      const check = checkFiscalCode(cf)
      if (!check.ok)
        problems.push({
          field: 'fiscalCode',
          code: 'public_fiscal_code_invalid',
          params: { reason: `@public_cf_${check.reason}` },
        })
      else out.fiscalCode = check.value
    }
    return out
  }

  return {
    categories,
    category,
    checkAnswers,

    /** Where a photo says it was taken, when that is in Prato (the form proposes it). */
    async photoPosition(bytes: Buffer): Promise<PhotoPosition | null> {
      const type = await photoType(bytes)
      if (!type) return null
      const at = await photoPosition(bytes)
      return at && inPrato(at.latitude, at.longitude) ? at : null
    },

    /**
     * Checks everything, stores the photos (metadata stripped) and hands the report to
     * ingest. Throws SubmissionInvalid with every problem found.
     */
    async submit(
      input: PublicReportInput,
      opts: {
        lang: Language
        requireContact?: boolean
        requireLocation?: boolean
        /** Problems the channel found itself (a consent not given): reported with the rest. */
        extraProblems?: FieldProblem[]
      } = { lang: 'it' },
    ): Promise<PublicReportResult> {
      const problems: FieldProblem[] = []
      const cat = await category(input.categoryId)
      if (!cat) problems.push({ field: 'category', code: 'public_category_unknown' })
      const checked = cat
        ? checkAnswers(cat.questions, input.answers, opts.lang)
        : { answers: {}, problems: [] }
      problems.push(...checked.problems)

      const description = input.description.replace(/\r\n/g, '\n').trim()
      if (!description) problems.push({ field: 'description', code: 'public_description_required' })
      else if (description.length < PUBLIC_LIMITS.descriptionMin)
        problems.push({
          field: 'description',
          code: 'public_description_too_short',
          params: { min: PUBLIC_LIMITS.descriptionMin },
        })
      else if (description.length > PUBLIC_LIMITS.description)
        problems.push({
          field: 'description',
          code: 'public_description_too_long',
          params: { max: PUBLIC_LIMITS.description },
        })

      const address = input.address?.trim().replace(/\s+/g, ' ') || undefined
      if (address && address.length > PUBLIC_LIMITS.address)
        problems.push({
          field: 'address',
          code: 'public_address_too_long',
          params: { max: PUBLIC_LIMITS.address },
        })
      const { latitude, longitude } = input
      const hasLat = latitude !== undefined
      const hasLon = longitude !== undefined
      let point: { latitude: number; longitude: number } | null = null
      if (hasLat !== hasLon || (hasLat && (!Number.isFinite(latitude) || !Number.isFinite(longitude))))
        problems.push({ field: 'latitude', code: 'public_coordinates_invalid' })
      else if (latitude !== undefined && longitude !== undefined) {
        if (!inPrato(latitude, longitude))
          problems.push({ field: 'latitude', code: 'public_coordinates_outside' })
        else point = { latitude, longitude }
      }

      const sender = checkSender(input.sender, problems)
      if (
        (opts.requireContact ?? false) &&
        !sender.email &&
        !sender.phone &&
        !problems.some((p) => p.field === 'email' || p.field === 'phone')
      )
        problems.push({ field: 'email', code: 'public_contact_required' })

      // Photos: typed from the bytes, sized, then stripped of their metadata.
      const photos = input.photos ?? []
      if (photos.length > PHOTO_LIMITS.files)
        problems.push({ field: 'photos', code: 'public_photo_too_many', params: { max: PHOTO_LIMITS.files } })
      const prepared: {
        filename: string
        declaredType: string
        type: string
        bytes: Buffer
        at: PhotoPosition | null
      }[] = []
      for (const photo of photos.slice(0, PHOTO_LIMITS.files)) {
        const filename = photo.filename.slice(0, 200) || 'foto'
        if (photo.bytes.length > PHOTO_LIMITS.maxBytes) {
          problems.push({
            field: 'photos',
            code: 'public_photo_too_large',
            params: { filename, mb: PHOTO_LIMITS.maxBytes / 1024 / 1024 },
          })
          continue
        }
        const type = await photoType(photo.bytes)
        if (!type) {
          problems.push({ field: 'photos', code: 'public_photo_type', params: { filename } })
          continue
        }
        const at = await photoPosition(photo.bytes)
        try {
          prepared.push({
            filename,
            declaredType: photo.declaredType,
            type,
            bytes: await stripPhoto(photo.bytes, type),
            at,
          })
        } catch {
          problems.push({ field: 'photos', code: 'photo_unreadable', params: { filename } })
        }
      }

      // Where: the citizen's point, else the gazetteer's for the address, else the first photo's.
      let locatedBy: PublicReportResult['locatedBy'] = point ? 'citizen' : null
      let civicNumber: string | undefined
      if (!point && address) {
        const found = await deps.gazetteer.geocode(address)
        if (found) {
          point = { latitude: found.latitude, longitude: found.longitude }
          civicNumber = found.civic ?? undefined
          locatedBy = 'gazetteer'
        }
      }
      if (!point) {
        const fromPhoto = prepared.find((p) => p.at && inPrato(p.at.latitude, p.at.longitude))?.at
        if (fromPhoto) {
          point = fromPhoto
          locatedBy = 'photo'
        }
      }
      if (
        (opts.requireLocation ?? true) &&
        !point &&
        !address &&
        !problems.some((p) => p.field === 'latitude')
      )
        problems.push({ field: 'address', code: 'public_location_required' })
      problems.push(...(opts.extraProblems ?? []))
      if (problems.length) throw new SubmissionInvalid(problems)
      if (!cat) throw new SubmissionInvalid([{ field: 'category', code: 'public_category_unknown' }])

      const stored: ((typeof prepared)[number] & { sha256: string; size: number })[] = []
      for (const p of prepared) {
        const blob = await deps.storage.put(p.bytes)
        stored.push({ ...p, sha256: blob.sha256, size: blob.size })
      }

      const extra = answersText(cat.questions, checked.answers)
      const text = [
        description,
        extra,
        address ? `Indirizzo: ${address}` : '',
        input.mediaUrl ? `Media: ${input.mediaUrl}` : '',
      ]
        .filter(Boolean)
        .join('\n\n')
      const message: InboundMessage = {
        channel: input.channel,
        externalId: input.externalId,
        sender: sender,
        subject: `${cat.nameIt}${address ? ` — ${address}` : ''}`.slice(0, 300),
        text,
        attachments: stored.map((p) => ({
          filename: p.filename,
          contentType: p.type,
          size: p.size,
          ref: `sha256:${p.sha256}`,
        })),
        ...(point
          ? {
              location: {
                ...point,
                ...(address ? { address } : {}),
                ...(civicNumber ? { civicNumber } : {}),
              },
            }
          : {}),
        receivedAt: new Date().toISOString(),
        categoryId: cat.id,
      }
      let token = ''
      const afterWrite = async (trx: Executor, result: IngestResult) => {
        if (result.outcome !== 'created') return
        if (!point && address)
          await trx.updateTable('cases').set({ address }).where('id', '=', result.caseId).execute()
        const row = await trx
          .insertInto('publicSubmissions')
          .values({
            channel: input.channel,
            externalId: input.externalId,
            caseId: result.caseId,
            apiKeyId: input.apiKeyId ?? null,
            categoryId: cat.id,
            answers: JSON.stringify(checked.answers),
            mediaUrl: input.mediaUrl ?? null,
            deviceId: input.deviceId ?? null,
            accountId: input.accountId ?? null,
          })
          .returning('token')
          .executeTakeFirstOrThrow()
        token = row.token
        for (const p of stored) {
          const values = {
            caseId: result.caseId,
            sha256: p.sha256,
            sizeBytes: p.size,
            contentType: p.type,
            declaredContentType: p.declaredType.slice(0, 200) || null,
            filename: p.filename,
            uploadedBy: input.actor?.id ?? null,
          }
          const id = await insertAttachment(trx, values)
          await insertEvent(trx, {
            caseId: result.caseId,
            kind: 'attachment_added',
            actorId: input.actor?.id ?? null,
            data: { attachmentId: id, filename: p.filename, size: p.size, contentType: p.type },
          })
          await recordAudit(trx, input.actor ?? null, {
            action: 'attachment.create',
            entityType: 'attachment',
            entityId: id,
            after: { id, ...values },
          })
        }
      }
      const result = await ingest(db, message, {
        caseNumberPrefix: deps.caseNumberPrefix,
        ...(deps.closedCasePolicy ? { closedCasePolicy: deps.closedCasePolicy } : {}),
        ...(input.actor ? { actor: input.actor } : {}),
        afterWrite,
      })
      const row = await db
        .selectFrom('cases as c')
        .leftJoin('publicSubmissions as s', (j) =>
          j
            .onRef('s.caseId', '=', 'c.id')
            .on('s.channel', '=', input.channel)
            .on('s.externalId', '=', input.externalId),
        )
        .select(['c.id', 'c.number', 'c.publicToken', 's.token'])
        .where('c.id', '=', result.caseId)
        .executeTakeFirstOrThrow()
      return {
        caseId: row.id,
        number: row.number,
        publicToken: row.publicToken,
        token: row.token ?? token,
        duplicate: result.outcome === 'duplicate',
        locatedBy,
      }
    },
  }
}
