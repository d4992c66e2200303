import simpleRestProvider from 'ra-data-simple-rest'
import {
  type CreateParams,
  type DataProvider,
  type GetListParams,
  type GetListResult,
  type GetManyParams,
  type GetManyReferenceParams,
  type GetManyReferenceResult,
  type GetOneParams,
  HttpError,
  type Identifier,
  type RaRecord,
  type UpdateParams,
} from 'react-admin'
import { httpClient } from './httpClient.ts'
import { type RoutingSample, type RoutingTestResult, ruleSubmissionErrors } from './routing/ruleForm.ts'
import type {
  Attachment,
  CalendarPreview,
  CallCaseBody,
  CallCaseResult,
  Case,
  CaseEvent,
  CaseLink,
  CaseLinkKind,
  CaseStatus,
  Contact,
  ContactDuplicate,
  IoCheck,
  IoSettings,
  Presence,
  PresenceState,
  SimilarCase,
  StaffNotification,
  Wallboard,
} from './types.ts'

const API = '/api/v1'
const base = simpleRestProvider(API, httpClient)

/**
 * The fields each resource's PATCH accepts. The API refuses unknown fields, so an
 * update sends only these, and only those the form changed.
 */
const EDITABLE: Record<string, readonly string[]> = {
  cases: [
    'subject',
    'description',
    'priority',
    'categoryId',
    'queueId',
    'officeId',
    'assigneeId',
    'contactId',
    'latitude',
    'longitude',
    'address',
    'civicNumber',
    'tags',
  ],
  contacts: [
    'firstName',
    'lastName',
    'organisationName',
    'fiscalCode',
    'vatNumber',
    'emails',
    'phones',
    'preferredChannel',
    'language',
    'consents',
  ],
  users: ['email', 'fullName', 'role', 'language', 'officeIds', 'skills', 'capacity', 'active', 'password'],
  offices: ['code', 'name', 'email', 'phone', 'active'],
  categories: [
    'code',
    'nameIt',
    'nameEn',
    'parentId',
    'officeId',
    'active',
    'sortOrder',
    'questions',
    'requiredSkills',
  ],
  queues: ['code', 'name', 'officeId', 'active', 'assignmentStrategy', 'releaseOnOffline', 'memberIds'],
  'sla-policies': [
    'name',
    'categoryId',
    'priority',
    'calendarId',
    'firstResponseMinutes',
    'resolutionMinutes',
    'warnPercent',
    'onWarning',
    'onBreach',
    'active',
  ],
  'business-calendars': ['name', 'settings'],
  'routing-rules': ['name', 'position', 'enabled', 'conditions', 'actions'],
  'canned-replies': ['title', 'language', 'body', 'categoryId', 'active'],
  mailboxes: [
    'name',
    'address',
    'isPec',
    'enabled',
    'imap',
    'folder',
    'afterImport',
    'moveTo',
    'smtp',
    'pollIntervalSeconds',
  ],
  'notification-templates': ['subject', 'markdown', 'emailHtml', 'emailText'],
  'notification-settings': ['triggers'],
}

/** Resources the API updates with PUT (still only the changed fields, with the version read). */
const PUT_UPDATES = new Set(['notification-templates', 'notification-settings'])

/**
 * Forms whose API refusals name fields (`error.details`): the refusal is rethrown
 * with react-admin's submission errors in `body.errors`, so each problem shows on
 * its input and the server's message becomes the form's notification.
 */
const SUBMISSION_ERRORS: Record<string, (body: unknown) => Record<string, unknown> | undefined> = {
  'routing-rules': ruleSubmissionErrors,
}

const withSubmissionErrors = async <T>(resource: string, write: () => Promise<T>): Promise<T> => {
  try {
    return await write()
  } catch (err) {
    const toErrors = SUBMISSION_ERRORS[resource]
    const errors = toErrors && err instanceof HttpError && err.status === 400 ? toErrors(err.body) : undefined
    if (errors && err instanceof HttpError) {
      throw new HttpError(err.message, err.status, { ...(err.body as object), errors })
    }
    throw err
  }
}

/** Lists that are not resources of the API's list dialect: fetched whole and cached like any list. */
const FIXED_LISTS: Record<string, string> = {
  'routing-areas': '/reference/areas',
  'cti-tokens': '/cti-tokens',
  'cti-blocked-numbers': '/cti-blocked-numbers',
  'open311-keys': '/open311-keys',
  'notification-templates': '/notification-templates',
  'notification-settings': '/notification-settings',
}

/** Fixed lists whose records are known by another field than `id` (a category's settings by the category). */
const FIXED_IDS: Record<string, string> = {
  'notification-settings': 'categoryId',
}

const withId = <T extends RaRecord>(resource: string, row: unknown): T => {
  const key = FIXED_IDS[resource]
  return (key ? { ...(row as Record<string, unknown>), id: (row as Record<string, unknown>)[key] } : row) as T
}

const fixedList = async <T extends RaRecord>(resource: string, path: string): Promise<T[]> =>
  (await get<unknown[]>(path)).map((row) => withId<T>(resource, row))

/**
 * A mailbox account as the API accepts it: whether a password is set is the API's to
 * say, a blank password keeps the stored one, a blank SMTP user means none.
 */
export const mailAccountInput = (value: unknown): unknown => {
  if (typeof value !== 'object' || value === null) return value
  const { hasPassword: _, password, user, ...rest } = value as Record<string, unknown>
  return {
    ...rest,
    ...(user === undefined ? {} : { user: user === '' ? null : user }),
    ...(password ? { password } : {}),
  }
}

/** An escalation as the API accepts it: no queue is said by leaving the key out, not by null. */
export const escalationInput = (value: unknown): unknown => {
  if (typeof value !== 'object' || value === null) return {}
  const { notifySupervisors, raisePriority, moveToQueueId } = value as Record<string, unknown>
  return {
    notifySupervisors: notifySupervisors === true,
    raisePriority: raisePriority === true,
    ...(typeof moveToQueueId === 'number' ? { moveToQueueId } : {}),
  }
}

/** Per-resource reshaping of a field from what the API shows to what it accepts. */
const toInput: Record<string, Record<string, (value: unknown) => unknown>> = {
  'sla-policies': { onWarning: escalationInput, onBreach: escalationInput },
  mailboxes: { imap: mailAccountInput, smtp: mailAccountInput },
  contacts: {
    // Consents are shown with the time they were given; the API sets that itself.
    consents: (value) =>
      Array.isArray(value)
        ? value.map((c: { kind: string; granted?: boolean; source?: string | null }) => ({
            kind: c.kind,
            granted: c.granted ?? false,
            ...(c.source ? { source: c.source } : {}),
          }))
        : value,
  },
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)

/** The editable fields that differ from what was read, reshaped for the API. */
export const changedFields = (
  resource: string,
  data: Partial<RaRecord>,
  previousData: Partial<RaRecord>,
): Record<string, unknown> => {
  const fields = EDITABLE[resource] ?? []
  const reshape = toInput[resource] ?? {}
  const body: Record<string, unknown> = {}
  for (const field of fields) {
    if (!(field in data)) continue
    const value = data[field]
    // An empty password field means "keep the password".
    if (field === 'password' && !value) continue
    if (same(value, previousData[field])) continue
    const convert = reshape[field]
    body[field] = convert ? convert(value) : value
  }
  return body
}

const jsonOf = <T>(json: unknown): T => json as T

/**
 * Lists the API nests under a record (a case's links, attachments and possible
 * duplicates, a contact's duplicate suggestions), read as react-admin resources through
 * getManyReference so that they are cached and refreshed like any other list.
 */
const NESTED: Record<
  string,
  { target: string; path: (id: Identifier) => string; records: (json: unknown) => RaRecord[] }
> = {
  'case-links': {
    target: 'caseId',
    path: (id) => `/cases/${id}/links`,
    records: (json) => jsonOf<CaseLink[]>(json),
  },
  'case-attachments': {
    target: 'caseId',
    path: (id) => `/cases/${id}/attachments`,
    records: (json) => jsonOf<Attachment[]>(json),
  },
  'case-similar': {
    target: 'caseId',
    path: (id) => `/cases/${id}/similar`,
    // Likeliest first, as the API ranks them.
    records: (json) => jsonOf<SimilarCase[]>(json),
  },
  'contact-duplicates': {
    target: 'contactId',
    path: (id) => `/contacts/${id}/duplicates`,
    // A suggestion is known by the contact it suggests.
    records: (json) => jsonOf<ContactDuplicate[]>(json).map((d) => ({ ...d, id: d.contact.id })),
  },
}

/** Everything beyond CRUD the console asks of the API. */
export interface FiloDataProvider extends DataProvider {
  changeCaseStatus(
    id: Identifier,
    body: { status: CaseStatus; version: number; comment?: string },
  ): Promise<Case>
  addCaseNote(id: Identifier, text: string): Promise<CaseEvent>
  addCaseLink(id: Identifier, body: { kind: CaseLinkKind; targetId: number }): Promise<CaseLink[]>
  removeCaseLink(id: Identifier, linkId: number): Promise<void>
  mergeCase(id: Identifier, body: { targetId: number; version: number }): Promise<Case>
  uploadCaseAttachments(id: Identifier, files: readonly File[]): Promise<Attachment[]>
  mergeContact(id: Identifier, duplicateId: number): Promise<Contact>
  testRouting(sample: RoutingSample): Promise<RoutingTestResult>
  previewCalendar(
    id: Identifier,
    query: { year?: number; from?: string; minutes?: number },
  ): Promise<CalendarPreview>
  getMyNotifications(): Promise<{ rows: StaffNotification[]; unread: number }>
  markNotificationRead(id: number): Promise<void>
  markAllNotificationsRead(): Promise<number>
  getMyPresence(): Promise<Presence>
  setMyPresence(state: PresenceState): Promise<Presence>
  /** "New case from this call": the case the call opened (or already had). */
  createCaseFromCall(callId: number, body: CallCaseBody): Promise<CallCaseResult>
  getWallboard(): Promise<Wallboard>
  getIoSettings(): Promise<IoSettings>
  /** Asks IO now whether the service may write to this fiscal code. */
  checkIo(fiscalCode: string): Promise<IoCheck>
}

const post = async <T>(path: string, body: unknown): Promise<T> =>
  jsonOf<T>((await httpClient(`${API}${path}`, { method: 'POST', body: JSON.stringify(body) })).json)

/** The most ids one getMany request filters on (the API's id filters take 100 to 200, by resource). */
const GET_MANY_CHUNK = 100

const get = async <T>(path: string): Promise<T> => jsonOf<T>((await httpClient(`${API}${path}`)).json)

/**
 * react-admin's simple-rest dialect, spoken by the API under /api/v1, with the
 * API's own rules on top: updates are PATCHes of the changed fields with the
 * version read (optimistic concurrency), a contact's cases come from its history,
 * and the case actions have methods of their own.
 */
export const dataProvider: FiloDataProvider = {
  ...base,

  async getList<RecordType extends RaRecord = RaRecord>(
    resource: string,
    params: GetListParams,
  ): Promise<GetListResult<RecordType>> {
    const fixed = FIXED_LISTS[resource]
    if (!fixed) return base.getList<RecordType>(resource, params)
    const data = await fixedList<RecordType>(resource, fixed)
    return { data, total: data.length }
  },

  async getMany<RecordType extends RaRecord = RaRecord>(resource: string, params: GetManyParams<RecordType>) {
    // An id filter takes at most 100 ids on some resources, and a list without a range is one page of 25:
    // ask in chunks, each with a range as long as its ids, so no reference goes unnamed.
    const ids = [...new Set(params.ids)]
    const fixed = FIXED_LISTS[resource]
    if (fixed) {
      const wanted = new Set(ids.map(String))
      return { data: (await fixedList<RecordType>(resource, fixed)).filter((r) => wanted.has(String(r.id))) }
    }
    const chunks: Identifier[][] = []
    for (let i = 0; i < ids.length; i += GET_MANY_CHUNK) chunks.push(ids.slice(i, i + GET_MANY_CHUNK))
    const pages = await Promise.all(
      chunks.map((chunk) =>
        get<RecordType[]>(
          `/${resource}?${new URLSearchParams({
            filter: JSON.stringify({ id: chunk }),
            range: JSON.stringify([0, chunk.length - 1]),
          })}`,
        ),
      ),
    )
    return { data: pages.flat() }
  },

  async getOne<RecordType extends RaRecord = RaRecord>(resource: string, params: GetOneParams<RecordType>) {
    // A fixed list has no GET of one record: the record is read from the whole list.
    const fixed = FIXED_LISTS[resource]
    if (!fixed) return base.getOne<RecordType>(resource, params)
    const data = (await fixedList<RecordType>(resource, fixed)).find(
      (r) => String(r.id) === String(params.id),
    )
    if (!data) throw new HttpError('ra.notification.item_doesnt_exist', 404)
    return { data }
  },

  async delete(resource, params) {
    // Taking a number off the block list answers 204: the record is what was deleted.
    if (resource !== 'cti-blocked-numbers') return base.delete(resource, params)
    await httpClient(`${API}/${resource}/${encodeURIComponent(String(params.id))}`, { method: 'DELETE' })
    return { data: params.previousData as never }
  },

  create<
    RecordType extends Omit<RaRecord, 'id'> = Omit<RaRecord, 'id'>,
    ResultRecordType extends RaRecord = RecordType & { id: Identifier },
  >(resource: string, params: CreateParams<RecordType>) {
    return withSubmissionErrors(resource, () => base.create<RecordType, ResultRecordType>(resource, params))
  },

  async update<RecordType extends RaRecord = RaRecord>(resource: string, params: UpdateParams<RecordType>) {
    const previous: Partial<RaRecord> = params.previousData ?? {}
    const body = {
      ...changedFields(resource, params.data, previous),
      // Version 0 is a record never saved (a category's default notifications): there is no version to send.
      ...(typeof previous.version === 'number' && previous.version > 0 ? { version: previous.version } : {}),
    }
    const { json } = await withSubmissionErrors(resource, () =>
      httpClient(`${API}/${resource}/${encodeURIComponent(String(params.id))}`, {
        method: PUT_UPDATES.has(resource) ? 'PUT' : 'PATCH',
        body: JSON.stringify(body),
      }),
    )
    return { data: withId<RecordType>(resource, json) }
  },

  async getManyReference<RecordType extends RaRecord = RaRecord>(
    resource: string,
    params: GetManyReferenceParams,
  ): Promise<GetManyReferenceResult<RecordType>> {
    // A contact's cases across every channel: the API's history of that contact.
    if (resource === 'cases' && params.target === 'contactId') {
      const { page, perPage } = params.pagination
      const { field, order } = params.sort
      const query = new URLSearchParams({
        sort: JSON.stringify([field, order]),
        range: JSON.stringify([(page - 1) * perPage, page * perPage - 1]),
        filter: JSON.stringify(params.filter ?? {}),
      })
      const { json, headers } = await httpClient(
        `${API}/contacts/${encodeURIComponent(String(params.id))}/history?${query}`,
      )
      const total = Number(headers.get('content-range')?.split('/').pop() ?? Number.NaN)
      const data = jsonOf<RecordType[]>(json)
      return { data, total: Number.isFinite(total) ? total : data.length }
    }
    // What each poll did with a mailbox's messages: a paged list of its own, keyed by UID.
    if (resource === 'mailbox-imports' && params.target === 'mailboxId') {
      const { page, perPage } = params.pagination
      const query = new URLSearchParams({
        sort: JSON.stringify(['importedAt', 'DESC']),
        range: JSON.stringify([(page - 1) * perPage, page * perPage - 1]),
      })
      const { json, headers } = await httpClient(
        `${API}/mailboxes/${encodeURIComponent(String(params.id))}/imports?${query}`,
      )
      const total = Number(headers.get('content-range')?.split('/').pop() ?? Number.NaN)
      const data = jsonOf<{ uidValidity: number; uid: number }[]>(json).map((row) => ({
        ...row,
        id: `${row.uidValidity}-${row.uid}`,
      })) as unknown as RecordType[]
      return { data, total: Number.isFinite(total) ? total : data.length }
    }
    const nested = NESTED[resource]
    if (nested && params.target === nested.target) {
      const data = jsonOf<RecordType[]>(nested.records(await get<unknown>(nested.path(params.id))))
      return { data, total: data.length }
    }
    return base.getManyReference<RecordType>(resource, params)
  },

  changeCaseStatus: (id, body) => post<Case>(`/cases/${id}/status`, body),
  addCaseNote: (id, text) => post<CaseEvent>(`/cases/${id}/notes`, { text }),
  addCaseLink: (id, body) => post<CaseLink[]>(`/cases/${id}/links`, body),
  async removeCaseLink(id, linkId) {
    await httpClient(`${API}/cases/${id}/links/${linkId}`, { method: 'DELETE' })
  },
  mergeCase: (id, body) => post<Case>(`/cases/${id}/merge`, body),
  async uploadCaseAttachments(id, files) {
    const form = new FormData()
    for (const file of files) form.append('file', file, file.name)
    // No Content-Type here: the browser writes multipart/form-data with its boundary.
    const { json } = await httpClient(`${API}/cases/${id}/attachments`, { method: 'POST', body: form })
    return jsonOf<Attachment[]>(json)
  },
  mergeContact: (id, duplicateId) => post<Contact>(`/contacts/${id}/merge`, { duplicateId }),
  testRouting: (sample) => post<RoutingTestResult>('/routing-rules/test', sample),
  previewCalendar(id, query) {
    const params = new URLSearchParams()
    for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value))
    return get<CalendarPreview>(`/business-calendars/${encodeURIComponent(String(id))}/preview?${params}`)
  },
  getMyNotifications: () => get<{ rows: StaffNotification[]; unread: number }>('/me/notifications?limit=30'),
  async markNotificationRead(id) {
    await post<null>(`/me/notifications/${id}/read`, {})
  },
  markAllNotificationsRead: async () =>
    (await post<{ marked: number }>('/me/notifications/read-all', {})).marked,
  getMyPresence: () => get<Presence>('/me/presence'),
  setMyPresence: async (state) =>
    jsonOf<Presence>(
      (await httpClient(`${API}/me/presence`, { method: 'PUT', body: JSON.stringify({ state }) })).json,
    ),
  createCaseFromCall: (callId, body) => post<CallCaseResult>(`/calls/${callId}/case`, body),
  getWallboard: () => get<Wallboard>('/wallboard'),
  getIoSettings: () => get<IoSettings>('/io-settings'),
  checkIo: (fiscalCode) => post<IoCheck>('/io-settings/check', { fiscalCode }),
}

/** Where the browser downloads an attachment from (same origin, session cookie). */
export const attachmentUrl = (id: number): string => `${API}/attachments/${id}/content`
