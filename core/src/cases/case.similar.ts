import { type RawBuilder, sql } from 'kysely'
import type { Executor } from '../db/db.ts'
import type { Actor } from '../iam/iam.schemas.ts'
import { type CaseRow, visibleTo } from './case.repository.ts'
import type { SimilarCaseView } from './case.schemas.ts'
import type { CaseStatus } from './case.values.ts'

const DAY_MS = 86_400_000

/** How the duplicates of a case are looked for; exported for the tests and the console's wording. */
export const SIMILAR = {
  /** Two points closer than this are "nearby". */
  radiusMetres: 150,
  /** Candidates created at most this long before the case (or after it). */
  createdWithinDays: 60,
  /** A resolved case is still a candidate this long after it was resolved (the citizen may say it is not). */
  resolvedWithinDays: 30,
  /** Share of distinct subject words two cases have in common (Jaccard) for their texts to be "similar": half. */
  textThreshold: 0.5,
  /** Candidates each reason may bring, before they are scored together. */
  perReason: 50,
  limit: 10,
  /** The subject words the text search asks the index about (pairs of them): the longest, most specific ones. */
  searchWords: 12,
} as const

const EARTH_RADIUS_M = 6_371_008.8
const METRES_PER_DEGREE = (EARTH_RADIUS_M * Math.PI) / 180

/** Great-circle distance in metres from a fixed point to a case's point (haversine), in SQL. */
function distanceTo(latitude: number, longitude: number): RawBuilder<number> {
  return sql<number>`(2 * ${EARTH_RADIUS_M}::float8 * asin(sqrt(
    power(sin(radians(cases.latitude - ${latitude}::float8) / 2), 2)
    + cos(radians(${latitude}::float8)) * cos(radians(cases.latitude))
      * power(sin(radians(cases.longitude - ${longitude}::float8) / 2), 2))))`
}

/** A tsquery literal term, restricted to the subject (and number) weight of the search vector. */
const term = (word: string) => `'${word.replace(/\\/g, '\\\\').replace(/'/g, "''")}':A`

/**
 * A subject "shares at least two words" with these, as a tsquery the GIN index on
 * `search` answers: every pair of words, OR-ed (or the one word when there is one).
 * One common word alone ("via") would bring half the city.
 */
export function pairsQuery(words: readonly string[]): string | null {
  const chosen = [...new Set(words)]
    .sort((a, b) => b.length - a.length || a.localeCompare(b))
    .slice(0, SIMILAR.searchWords)
  if (chosen.length === 0) return null
  if (chosen.length === 1) return term(chosen[0] as string)
  const pairs: string[] = []
  for (let i = 0; i < chosen.length; i++)
    for (let j = i + 1; j < chosen.length; j++)
      pairs.push(`(${term(chosen[i] as string)} & ${term(chosen[j] as string)})`)
  return pairs.join(' | ')
}

/** Distinct words two subjects share over the distinct words of both (0 when either has none). */
export function wordOverlap(a: readonly string[], b: readonly string[]): number {
  const left = new Set(a)
  const right = new Set(b)
  const shared = [...left].filter((w) => right.has(w)).length
  const all = new Set([...left, ...right]).size
  return all === 0 ? 0 : shared / all
}

/**
 * How likely a duplicate is: the same contact weighs 4; a point nearby 4 down to 2 in
 * the same category (2 down to 1 in another) as the distance grows to the radius; the
 * share of words in common up to 4.
 */
export function similarityScore(s: {
  sameContact: boolean
  distance: number | null
  sameCategory: boolean
  overlap: number
}): number {
  let score = s.sameContact ? 4 : 0
  if (s.distance !== null && s.distance <= SIMILAR.radiusMetres)
    score += (s.sameCategory ? 4 : 2) * (1 - s.distance / (2 * SIMILAR.radiusMetres))
  if (s.overlap >= SIMILAR.textThreshold) score += 4 * s.overlap
  return Math.round(score * 100) / 100
}

/**
 * Cases that may be duplicates of `own`, likeliest first: cases the actor may see,
 * not merged, not closed, not resolved long ago, created around the same time, not
 * already linked to it as duplicates — with the same contact, a point within the
 * radius, or enough subject words in common. Each reason is one indexed lookup
 * (contact, a GiST box around the point, the GIN full-text index); the few
 * candidates they bring are then scored together.
 */
export async function findSimilarCases(
  db: Executor,
  actor: Actor,
  own: CaseRow,
  now = new Date(),
): Promise<SimilarCaseView[]> {
  if (own.mergedIntoId !== null) return []
  const createdSince = new Date(own.createdAt.getTime() - SIMILAR.createdWithinDays * DAY_MS)
  const resolvedSince = new Date(now.getTime() - SIMILAR.resolvedWithinDays * DAY_MS)

  const eligible = () =>
    db
      .selectFrom('cases')
      .select('cases.id')
      .where(visibleTo(actor))
      .where('cases.id', '<>', own.id)
      .where('cases.mergedIntoId', 'is', null)
      .where('cases.status', '<>', 'closed')
      .where((eb) =>
        eb.or([eb('cases.status', '<>', 'resolved'), eb('cases.resolvedAt', '>=', resolvedSince)]),
      )
      .where('cases.createdAt', '>=', createdSince)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('caseLinks as l')
              .select('l.id')
              .where('l.kind', '=', 'duplicate')
              .where((eb) =>
                eb.or([
                  eb.and([eb('l.fromCaseId', '=', own.id), eb('l.toCaseId', '=', eb.ref('cases.id'))]),
                  eb.and([eb('l.toCaseId', '=', own.id), eb('l.fromCaseId', '=', eb.ref('cases.id'))]),
                ]),
              ),
          ),
        ),
      )
      .limit(SIMILAR.perReason)

  const { words } = (
    await sql<{
      words: string[]
    }>`select tsvector_to_array(to_tsvector('filo_it', filo_fts_text(${own.subject}))) as words`.execute(db)
  ).rows[0] ?? { words: [] }
  const query = pairsQuery(words)
  const point =
    own.latitude !== null && own.longitude !== null
      ? { latitude: own.latitude, longitude: own.longitude }
      : null

  const lookups: Promise<{ id: number }[]>[] = []
  if (own.contactId !== null)
    lookups.push(
      eligible().where('cases.contactId', '=', own.contactId).orderBy('cases.createdAt', 'desc').execute(),
    )
  if (point) {
    const dLat = (SIMILAR.radiusMetres / METRES_PER_DEGREE) * 1.01
    const dLon = dLat / Math.max(Math.cos((point.latitude * Math.PI) / 180), 0.01)
    // The box matches the index's expression and predicate (sql/0020_case_similar.sql).
    lookups.push(
      eligible()
        .where('cases.latitude', 'is not', null)
        .where(
          sql<boolean>`point(cases.longitude, cases.latitude) <@ box(point(${point.longitude - dLon}::float8, ${point.latitude - dLat}::float8), point(${point.longitude + dLon}::float8, ${point.latitude + dLat}::float8))`,
        )
        .where(distanceTo(point.latitude, point.longitude), '<=', SIMILAR.radiusMetres)
        .orderBy(distanceTo(point.latitude, point.longitude))
        .execute(),
    )
  }
  if (query)
    lookups.push(
      eligible()
        .where(sql<boolean>`cases.search @@ ${query}::tsquery`)
        .orderBy(sql`ts_rank(cases.search, ${query}::tsquery)`, 'desc')
        .execute(),
    )
  const ids = [...new Set((await Promise.all(lookups)).flat().map((r) => r.id))]
  if (ids.length === 0) return []

  const rows = await db
    .selectFrom('cases')
    .select([
      'id',
      'number',
      'subject',
      'status',
      'categoryId',
      'officeId',
      'contactId',
      'address',
      'createdAt',
      sql<string[]>`tsvector_to_array(to_tsvector('filo_it', filo_fts_text(subject)))`.as('words'),
      (point
        ? sql<
            number | null
          >`case when cases.latitude is null then null else ${distanceTo(point.latitude, point.longitude)} end`
        : sql<null>`null::float8`
      ).as('distance'),
    ])
    .where('id', 'in', ids)
    .execute()

  const suggestions: SimilarCaseView[] = []
  for (const r of rows) {
    const sameContact = own.contactId !== null && r.contactId === own.contactId
    const distance = r.distance === null ? null : Math.round(r.distance)
    const nearby = distance !== null && distance <= SIMILAR.radiusMetres
    const overlap = wordOverlap(words, r.words)
    const similarText = overlap >= SIMILAR.textThreshold
    if (!sameContact && !nearby && !similarText) continue
    const sameCategory = own.categoryId !== null && r.categoryId === own.categoryId
    suggestions.push({
      id: r.id,
      number: r.number,
      subject: r.subject,
      status: r.status as CaseStatus,
      categoryId: r.categoryId,
      officeId: r.officeId,
      address: r.address,
      createdAt: r.createdAt.toISOString(),
      reasons: [
        ...(sameContact ? (['same_contact'] as const) : []),
        ...(nearby ? (['nearby'] as const) : []),
        ...(similarText ? (['similar_text'] as const) : []),
      ],
      distance,
      sameCategory,
      score: similarityScore({ sameContact, distance, sameCategory, overlap }),
    })
  }
  return suggestions
    .sort((a, b) => b.score - a.score || b.createdAt.localeCompare(a.createdAt) || b.id - a.id)
    .slice(0, SIMILAR.limit)
}
