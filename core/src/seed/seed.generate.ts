import type { Channel, Priority, CaseStatus as Status } from '../cases/case.values.ts'
import { fiscalCode, vatCheckDigit } from './seed.codes.ts'
import {
  BUS_LINES,
  CASE_TEMPLATES,
  type CaseText,
  CLOSINGS_EN,
  CLOSINGS_IT,
  EMAIL_DOMAINS,
  LEGAL_FORMS,
  MOBILE_PREFIXES,
  MONTHS,
  NAMES,
  NEIGHBOURHOODS,
  ORGANISATION_KINDS,
  ORGANISATION_NAMES,
  ORIGINS,
  type Origin,
  PARKS,
  SCHOOLS,
  STREETS,
  type Street,
  TAGS_BY_CATEGORY,
} from './seed.data.ts'
import { intBetween, pick, type Random, Weighted } from './seed.random.ts'

/**
 * Pure generation of demo contacts and cases, column by column so that a batch
 * goes to PostgreSQL as a handful of arrays (`insert … select from unnest(…)`).
 * Nothing here touches the database: the seeder resolves ids and hands them in.
 */

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

export type { CaseStatus as Status, Channel, Priority } from '../cases/case.values.ts'

// ---------------------------------------------------------------- contacts

export interface ContactRow {
  kind: 'person' | 'organisation'
  firstName: string | null
  lastName: string | null
  organisationName: string | null
  fiscalCode: string | null
  vatNumber: string | null
  email: string | null
  phone: string | null
  preferredChannel: 'email' | 'io' | 'phone' | 'pec' | null
  language: 'it' | 'en'
}

const origins = new Weighted(ORIGINS.map((o): [Origin, number] => [o, o.weight]))

/** Lower-case ASCII for mailbox names: Niccolò D'Angelo → niccolo, dangelo. */
const slug = (s: string, joiner = ''): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, joiner)
    .replace(/^-+|-+$/g, '')

const digits = (random: Random, n: number): string => {
  let s = ''
  for (let i = 0; i < n; i++) s += String(Math.floor(random() * 10))
  return s
}

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate()

export function generatePerson(random: Random): ContactRow {
  const origin = origins.draw(random)
  const names = NAMES[origin.names]
  const sex = random() < 0.5 ? 'M' : 'F'
  const firstName = pick(random, sex === 'M' ? names.male : names.female)
  const lastName = pick(random, names.last)
  const birthYear = intBetween(random, 1938, 2006)
  const birthMonth = intBetween(random, 1, 12)
  const birthDay = intBetween(random, 1, daysInMonth(birthYear, birthMonth))
  // Most people give their codice fiscale; some only leave a phone number or an email.
  const code =
    random() < 0.85
      ? fiscalCode({ firstName, lastName, sex, birthYear, birthMonth, birthDay, birthPlace: origin.place })
      : null
  let email: string | null = null
  if (random() < 0.75) {
    const suffix = random() < 0.5 ? String(birthYear % 100).padStart(2, '0') : ''
    email = `${slug(firstName)}.${slug(lastName)}${suffix}@${pick(random, EMAIL_DOMAINS)}`
  }
  let phone: string | null =
    random() < 0.8 || email === null ? `+39${pick(random, MOBILE_PREFIXES)}${digits(random, 7)}` : null
  if (email === null && phone === null) phone = `+39${pick(random, MOBILE_PREFIXES)}${digits(random, 7)}`
  const language = random() < origin.english ? 'en' : 'it'
  const r = random()
  // IO messages reach a person by codice fiscale, so only people who gave one may prefer IO.
  const preferredChannel =
    r < 0.45 && email ? 'email' : r < 0.7 && code ? 'io' : r < 0.9 && phone ? 'phone' : null
  return {
    kind: 'person',
    firstName,
    lastName,
    organisationName: null,
    fiscalCode: code,
    vatNumber: null,
    email,
    phone,
    preferredChannel,
    language,
  }
}

export function generateOrganisation(random: Random): ContactRow {
  const kind = pick(random, ORGANISATION_KINDS)
  const name = pick(random, ORGANISATION_NAMES)
  const organisationName =
    kind === 'Cooperativa Sociale' ? `${kind} ${name}` : `${kind} ${name} ${pick(random, LEGAL_FORMS)}`
  // Digits 8–10 of a partita IVA are the provincial office: 100 is Prato, 048 Firenze.
  const province = random() < 0.8 ? '100' : '048'
  const first10 = `${intBetween(random, 1, 9)}${digits(random, 6)}${province}`
  const vat = first10 + vatCheckDigit(first10)
  const domain = slug(`${kind} ${name}`, '-')
  const prefersPec = random() < 0.5
  return {
    kind: 'organisation',
    firstName: null,
    lastName: null,
    organisationName,
    // A business's codice fiscale is, nearly always, its partita IVA.
    fiscalCode: vat,
    vatNumber: vat,
    email: prefersPec ? `${domain}@pec.example.com` : `info@${domain}.example.com`,
    phone: `+390574${digits(random, 6)}`,
    preferredChannel: prefersPec ? 'pec' : 'email',
    language: 'it',
  }
}

// ---------------------------------------------------------------- time

// Relative volume by hour of day (Italian time): offices and the call centre work 8–19.
const HOUR_WEIGHTS = [
  0.3, 0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 1.5, 4, 6, 6.5, 6, 5, 3.5, 4.5, 5, 5, 4.5, 3.5, 2.5, 2, 1.5, 1, 0.6,
]
// Sunday first, as Date#getUTCDay counts.
const WEEKDAY_WEIGHTS = [0.25, 1, 1, 1, 1, 0.95, 0.45]
const hours = new Weighted(HOUR_WEIGHTS.map((w, h): [number, number] => [h, w]))
// Above 1, draws bunch towards now: about a fifth of the cases come from the last two weeks.
const RECENCY = 1.4
// Close enough to Italian time for demo data: CET, one hour ahead of UTC.
const ITALY_OFFSET = HOUR

/**
 * `count` creation instants over the `days` before `now`, in ascending order:
 * more on weekdays and in office hours, as real contact-centre traffic, and more
 * in recent weeks, as channels joined one after another; so a demo opens on a
 * live backlog rather than on months of closed cases.
 */
export function creationTimes(random: Random, count: number, now: number, days: number): Float64Array {
  const times = new Float64Array(count)
  const start = now - days * DAY
  const today = Math.floor(now / DAY) * DAY
  const maxWeekday = Math.max(...WEEKDAY_WEIGHTS)
  for (let i = 0; i < count; i++) {
    let t: number
    do {
      const day = today - Math.floor(random() ** RECENCY * (days + 1)) * DAY
      t = day + hours.draw(random) * HOUR + Math.floor(random() * HOUR) - ITALY_OFFSET
    } while (
      t < start ||
      t > now - MINUTE ||
      random() * maxWeekday > (WEEKDAY_WEIGHTS[new Date(t + ITALY_OFFSET).getUTCDay()] ?? 1)
    )
    times[i] = t
  }
  return times.sort()
}

// ---------------------------------------------------------------- cases

/** A leaf category as the seeder found it in the database, with what generation needs. */
export interface SeedCategory {
  id: number
  code: string
  officeId: number | null
  weight: number
  located: boolean
  pressing: boolean
}

/** What exists in the database that cases refer to. */
export interface SeedWorld {
  categories: readonly SeedCategory[]
  /** The queue of each office. */
  queueByOffice: ReadonlyMap<number, number>
  triageQueueId: number | null
  callCentreQueueId: number | null
  /** Office staff of each office, to assign its cases to. */
  staffByOffice: ReadonlyMap<number, readonly number[]>
  /** Offices whose work orders field workers take (roads, lighting, parks). */
  fieldOffices: ReadonlySet<number>
  operatorIds: readonly number[]
  fieldWorkerIds: readonly number[]
  /** Who opens cases at the counter (URP staff, else operators). */
  counterStaffIds: readonly number[]
}

/** Contacts that earlier batches committed, which new cases may come from again. */
export interface ContactPool {
  ids: number[]
  english: boolean[]
}

export interface CaseColumns {
  number: string[]
  subject: string[]
  description: string[]
  channel: string[]
  status: string[]
  priority: string[]
  categoryId: (number | null)[]
  queueId: (number | null)[]
  officeId: (number | null)[]
  assigneeId: (number | null)[]
  contactId: (number | null)[]
  latitude: (number | null)[]
  longitude: (number | null)[]
  address: (string | null)[]
  civicNumber: (string | null)[]
  /** Comma-joined (tags never contain commas); split in SQL, since unnest cannot take an array of arrays. */
  tags: string[]
  firstResponseDueAt: number[]
  resolutionDueAt: number[]
  firstRespondedAt: (number | null)[]
  resolvedAt: (number | null)[]
  closedAt: (number | null)[]
  createdBy: (number | null)[]
  version: number[]
  createdAt: number[]
  updatedAt: number[]
}

export interface CaseBatch {
  cases: CaseColumns
  /** Contacts first seen in this batch, inserted with it. */
  newContacts: ContactRow[]
  /** When each new contact was created: just before their first case. */
  newContactCreatedAt: number[]
  /** For each case, the index into newContacts of its contact, or -1 (then contactId holds it, or null). */
  newContactIndex: number[]
}

const CHANNELS = new Weighted<Channel>([
  ['phone', 35],
  ['email', 25],
  ['web', 20],
  ['pec', 5],
  ['open311', 5],
  ['field', 5],
  ['counter', 5],
])

const PRIORITY_USUAL = new Weighted<Priority>([
  ['low', 15],
  ['normal', 75],
  ['high', 9],
  ['urgent', 1],
])
const PRIORITY_PRESSING = new Weighted<Priority>([
  ['low', 3],
  ['normal', 47],
  ['high', 35],
  ['urgent', 15],
])

/** The later in its life a case is, the further along the lifecycle: by age in days. */
const STATUS_BY_AGE: readonly (readonly [number, Weighted<Status>])[] = [
  [
    2,
    new Weighted<Status>([
      ['new', 38],
      ['open', 18],
      ['assigned', 20],
      ['in_progress', 15],
      ['waiting_citizen', 5],
      ['waiting_third_party', 2],
      ['resolved', 8],
    ]),
  ],
  [
    14,
    new Weighted<Status>([
      ['new', 6],
      ['open', 8],
      ['assigned', 14],
      ['in_progress', 24],
      ['waiting_citizen', 10],
      ['waiting_third_party', 10],
      ['resolved', 18],
      ['closed', 12],
    ]),
  ],
  [
    45,
    new Weighted<Status>([
      ['open', 2],
      ['assigned', 5],
      ['in_progress', 11],
      ['waiting_citizen', 6],
      ['waiting_third_party', 9],
      ['resolved', 17],
      ['closed', 50],
    ]),
  ],
  [
    Number.POSITIVE_INFINITY,
    // The long tail every office has: works waiting for a contractor, a budget, another body.
    new Weighted<Status>([
      ['in_progress', 4],
      ['waiting_citizen', 2],
      ['waiting_third_party', 7],
      ['resolved', 5],
      ['closed', 82],
    ]),
  ],
]

const VERSION_BY_STATUS: Readonly<Record<Status, number>> = {
  new: 1,
  open: 2,
  assigned: 3,
  in_progress: 4,
  waiting_citizen: 5,
  waiting_third_party: 5,
  resolved: 5,
  closed: 6,
}

const FIRST_RESPONSE_HOURS: Readonly<Record<Priority, number>> = { urgent: 2, high: 8, normal: 24, low: 72 }
const RESOLUTION_DAYS: Readonly<Record<Priority, number>> = { urgent: 1, high: 3, normal: 10, low: 30 }

const MONTHS_EN = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const

const WORKED: ReadonlySet<Status> = new Set([
  'assigned',
  'in_progress',
  'waiting_citizen',
  'waiting_third_party',
  'resolved',
  'closed',
])

export class CaseGenerator {
  private readonly anyCategory: Weighted<SeedCategory>
  private readonly locatedCategory: Weighted<SeedCategory>
  private readonly infoCategoryId: number | undefined

  constructor(
    private readonly random: Random,
    private readonly world: SeedWorld,
    private readonly now: number,
  ) {
    const usable = world.categories.filter((c) => CASE_TEMPLATES[c.code])
    this.anyCategory = new Weighted(usable.map((c): [SeedCategory, number] => [c, c.weight]))
    this.locatedCategory = new Weighted(
      usable.filter((c) => c.located).map((c): [SeedCategory, number] => [c, c.weight]),
    )
    this.infoCategoryId = usable.find((c) => c.code === 'informazioni.generali')?.id
  }

  /** One batch of cases created at `times` (ascending), numbered `numbers`. */
  batch(times: Float64Array, numbers: readonly string[], pool: ContactPool): CaseBatch {
    const { random, world, now } = this
    const n = times.length
    const c: CaseColumns = {
      number: [],
      subject: [],
      description: [],
      channel: [],
      status: [],
      priority: [],
      categoryId: [],
      queueId: [],
      officeId: [],
      assigneeId: [],
      contactId: [],
      latitude: [],
      longitude: [],
      address: [],
      civicNumber: [],
      tags: [],
      firstResponseDueAt: [],
      resolutionDueAt: [],
      firstRespondedAt: [],
      resolvedAt: [],
      closedAt: [],
      createdBy: [],
      version: [],
      createdAt: [],
      updatedAt: [],
    }
    const newContacts: ContactRow[] = []
    const newContactCreatedAt: number[] = []
    const newContactIndex: number[] = []

    for (let i = 0; i < n; i++) {
      const createdAt = times[i] ?? now
      const ageDays = (now - createdAt) / DAY
      const channel = CHANNELS.draw(random)
      // Open311 apps and the field app report things in the street, not tax questions.
      const category =
        channel === 'open311' || channel === 'field'
          ? this.locatedCategory.draw(random)
          : this.anyCategory.draw(random)
      let status = statusForAge(random, ageDays)
      const priority = (category.pressing ? PRIORITY_PRESSING : PRIORITY_USUAL).draw(random)

      // Routing: most cases sit in their category's office queue. Emails and PECs not yet
      // looked at wait in triage; information calls the call centre answered stay with it.
      let categoryId: number | null = category.id
      let officeId = category.officeId
      let queueId = officeId === null ? world.triageQueueId : (world.queueByOffice.get(officeId) ?? null)
      let firstContactResolution = false
      if (status === 'new' && (channel === 'email' || channel === 'pec') && random() < 0.6) {
        categoryId = null
        officeId = null
        queueId = world.triageQueueId
      } else if (
        channel === 'phone' &&
        category.id === this.infoCategoryId &&
        ageDays > 0.05 &&
        random() < 0.6
      ) {
        officeId = null
        queueId = world.callCentreQueueId
        firstContactResolution = true
        status = ageDays > 3 ? 'closed' : 'resolved'
      }

      // Who opened it: the operator on the phone, the clerk at the counter, the field worker.
      let createdBy: number | null = null
      if (channel === 'phone' && world.operatorIds.length > 0) createdBy = pick(random, world.operatorIds)
      else if (channel === 'counter' && world.counterStaffIds.length > 0)
        createdBy = pick(random, world.counterStaffIds)
      else if (channel === 'field' && world.fieldWorkerIds.length > 0)
        createdBy = pick(random, world.fieldWorkerIds)

      // The contact: nobody for a field report, often nobody for an anonymous app report.
      let contactId: number | null = null
      let contactIndex = -1
      let english = false
      const anonymous = channel === 'field' || (channel === 'open311' && random() < 0.4) || random() < 0.06
      if (!anonymous) {
        const known = pool.ids.length + newContacts.length
        if (known === 0 || random() < 0.35) {
          const contact =
            channel === 'pec' && random() < 0.7 ? generateOrganisation(random) : nextContact(random)
          contactIndex = newContacts.length
          newContacts.push(contact)
          newContactCreatedAt.push(createdAt - intBetween(random, 1, 30) * 1000)
          english = contact.language === 'en'
        } else {
          // Someone who wrote before: from an earlier batch, or earlier in this one.
          const k = Math.floor(random() * known)
          if (k < pool.ids.length) {
            contactId = pool.ids[k] ?? null
            english = pool.english[k] ?? false
          } else {
            contactIndex = k - pool.ids.length
            english = newContacts[contactIndex]?.language === 'en'
          }
        }
      }

      // Where: located categories get a point on a real street.
      const street: Street = pick(random, STREETS)
      let civic = String(intBetween(random, 1, street.maxCivic))
      if (random() < 0.08) civic += pick(random, ['/A', '/B'])
      let latitude: number | null = null
      let longitude: number | null = null
      let address: string | null = null
      let civicNumber: string | null = null
      if (category.located) {
        latitude = round6(street.lat + (random() - 0.5) * 0.003)
        longitude = round6(street.lon + (random() - 0.5) * 0.004)
        address = street.name
        civicNumber = civic
      }

      const text = this.text(category.code, english, street.name, civic)

      let assigneeId: number | null = null
      if (firstContactResolution) {
        assigneeId = createdBy
      } else if (officeId !== null && WORKED.has(status)) {
        const staff = world.staffByOffice.get(officeId) ?? []
        if (
          category.located &&
          world.fieldOffices.has(officeId) &&
          world.fieldWorkerIds.length > 0 &&
          random() < 0.2
        ) {
          assigneeId = pick(random, world.fieldWorkerIds)
        } else if (staff.length > 0) {
          assigneeId = pick(random, staff)
        }
      }

      // The lifecycle's instants, each after the one before and none in the future.
      const age = now - createdAt
      let firstRespondedAt: number | null = null
      let resolvedAt: number | null = null
      let closedAt: number | null = null
      if (firstContactResolution) {
        firstRespondedAt = createdAt + intBetween(random, 30, 120) * 1000
        resolvedAt = createdAt + intBetween(random, 3, 15) * MINUTE
        if (status === 'closed') closedAt = resolvedAt + (now - resolvedAt) * random()
      } else {
        if (status !== 'new' && (status !== 'open' || random() < 0.5)) {
          firstRespondedAt = createdAt + Math.min(age * 0.5, (5 + random() * random() * 47 * 60) * MINUTE)
        }
        if (status === 'resolved' || status === 'closed') {
          const typical = RESOLUTION_DAYS[priority] * DAY * (0.1 + random() * 1.4)
          const earliest = firstRespondedAt ?? createdAt
          resolvedAt = Math.min(earliest + typical, earliest + (now - earliest) * (0.4 + 0.5 * random()))
          if (status === 'closed') {
            closedAt = Math.min(
              resolvedAt + intBetween(random, 2, 10) * DAY,
              resolvedAt + (now - resolvedAt) * random(),
            )
          }
        }
      }
      const lastChange = closedAt ?? resolvedAt ?? firstRespondedAt ?? createdAt
      const updatedAt =
        status === 'resolved' || status === 'closed' || status === 'new'
          ? lastChange
          : lastChange + (now - lastChange) * random() * 0.8

      c.number.push(numbers[i] ?? '')
      c.subject.push(text.subject)
      c.description.push(text.description)
      c.channel.push(channel)
      c.status.push(status)
      c.priority.push(priority)
      c.categoryId.push(categoryId)
      c.queueId.push(queueId)
      c.officeId.push(officeId)
      c.assigneeId.push(assigneeId)
      c.contactId.push(contactId)
      c.latitude.push(latitude)
      c.longitude.push(longitude)
      c.address.push(address)
      c.civicNumber.push(civicNumber)
      c.tags.push(this.tags(category.code))
      c.firstResponseDueAt.push(createdAt + FIRST_RESPONSE_HOURS[priority] * HOUR)
      c.resolutionDueAt.push(createdAt + RESOLUTION_DAYS[priority] * DAY)
      c.firstRespondedAt.push(firstRespondedAt)
      c.resolvedAt.push(resolvedAt)
      c.closedAt.push(closedAt)
      c.createdBy.push(createdBy)
      c.version.push(
        VERSION_BY_STATUS[status] +
          (status === 'resolved' || status === 'closed' ? intBetween(random, 0, 1) : 0),
      )
      c.createdAt.push(createdAt)
      c.updatedAt.push(updatedAt)
      newContactIndex.push(contactIndex)
    }
    return { cases: c, newContacts, newContactCreatedAt, newContactIndex }
  }

  private text(categoryCode: string, english: boolean, street: string, civic: string): CaseText {
    const random = this.random
    const template = pick(random, CASE_TEMPLATES[categoryCode] ?? [])
    const useEnglish = english && template.en !== undefined && random() < 0.75
    const base = useEnglish && template.en ? template.en : template.it
    // One value per placeholder and case, so the subject and the description agree.
    const chosen = new Map<string, string>()
    const fill = (s: string): string =>
      s.replace(/\{(\w+)\}/g, (_, key: string) => {
        const known = chosen.get(key)
        if (known !== undefined) return known
        const value = choose(key)
        chosen.set(key, value)
        return value
      })
    const choose = (key: string): string => {
      switch (key) {
        case 'via':
          return street
        case 'civico':
          return civic
        case 'frazione':
          return pick(random, NEIGHBOURHOODS)
        case 'parco':
          return pick(random, PARKS)
        case 'scuola':
          return pick(random, SCHOOLS)
        case 'linea':
          return pick(random, BUS_LINES)
        case 'giorni':
          return String(intBetween(random, 2, 20))
        case 'mese':
          return useEnglish ? pick(random, MONTHS_EN) : pick(random, MONTHS)
        default:
          return key
      }
    }
    const subject = fill(base.subject)
    let description = fill(base.description)
    if (random() < 0.6) description += ` ${pick(random, useEnglish ? CLOSINGS_EN : CLOSINGS_IT)}`
    // A placeholder may open the subject ("{linea} stop moved…").
    return { subject: subject.charAt(0).toUpperCase() + subject.slice(1), description }
  }

  private tags(categoryCode: string): string {
    const random = this.random
    const tags: string[] = []
    if (random() < 0.06) tags.push('segnalazione-ripetuta')
    const own = TAGS_BY_CATEGORY[categoryCode]
    if (own && random() < 0.2) tags.push(pick(random, own))
    return tags.join(',')
  }
}

/** A new contact: mostly people, some businesses. */
const nextContact = (random: Random): ContactRow =>
  random() < 0.9 ? generatePerson(random) : generateOrganisation(random)

function statusForAge(random: Random, ageDays: number): Status {
  for (const [maxAge, statuses] of STATUS_BY_AGE) {
    if (ageDays < maxAge) return statuses.draw(random)
  }
  return 'closed'
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6
