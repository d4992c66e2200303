import { sql } from 'kysely'
import Type, { type Static } from 'typebox'
import type { Database } from '../db/db.ts'

/**
 * Prato's bounding box (the municipal territory with a margin): the web form's map
 * spans it, and coordinates outside it are not a report the Comune can act on.
 */
export const PRATO_BOUNDS = { south: 43.82, north: 43.96, west: 11.0, east: 11.17 } as const

export const inPrato = (lat: number, lon: number): boolean =>
  lat >= PRATO_BOUNDS.south &&
  lat <= PRATO_BOUNDS.north &&
  lon >= PRATO_BOUNDS.west &&
  lon <= PRATO_BOUNDS.east

/** One address the gazetteer knows: a street and, when asked for, a civic number with its point. */
export const GazetteerAddress = Type.Object({
  street: Type.String(),
  civic: Type.Union([Type.String(), Type.Null()]),
  postcode: Type.String(),
  /** "Via Roma 12, 59100 Prato": what the form puts in its address field. */
  label: Type.String(),
  latitude: Type.Number(),
  longitude: Type.Number(),
})
export type GazetteerAddress = Static<typeof GazetteerAddress>

/** Lowercase, accents and apostrophes folded, spaces collapsed: how street names are searched. */
export function foldName(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’`.,]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}

/** "via roma 12/a" → words of the street, and the civic number when the text ends with one. */
function splitQuery(text: string): { words: string[]; civic: string | null } {
  const folded = foldName(text).replace(/\b(prato|59100|po)\b/g, ' ')
  const match = /^(.*?)(?:\s+n)?\s+(\d{1,4}[a-z]?(?:\/[0-9a-z]{1,3})?)$/.exec(folded.trim())
  const street = match ? (match[1] ?? '') : folded
  return {
    words: street
      .split(' ')
      .filter((w) => w.length > 0)
      .slice(0, 6),
    civic: match ? (match[2] ?? null) : null,
  }
}

const label = (street: string, civic: string | null, postcode: string) =>
  `${street}${civic ? ` ${civic.toUpperCase()}` : ''}, ${postcode} Prato`

export type GazetteerService = ReturnType<typeof createGazetteerService>

/**
 * Addresses of Prato from the local gazetteer (streets and civic numbers, approximate:
 * see sql/0017_public_channels.sql): suggestions while typing, and the point of an
 * address typed without help.
 */
export function createGazetteerService(db: Database) {
  async function suggest(query: string, limit = 8): Promise<GazetteerAddress[]> {
    const { words, civic } = splitQuery(query.slice(0, 200))
    if (words.length === 0 || words.join('').length < 2) return []
    let q = db
      .selectFrom('gazetteerStreets as s')
      .select(['s.id', 's.name', 's.postcode', 's.fromLat', 's.fromLon', 's.toLat', 's.toLon'])
    for (const word of words) {
      const escaped = word.replace(/[\\%_]/g, (c) => `\\${c}`)
      q = q.where('s.searchName', 'like', `%${escaped}%`)
    }
    const streets = await q
      .orderBy(sql`position(${words[0] ?? ''} in s.search_name)`)
      .orderBy('s.name')
      .limit(limit)
      .execute()
    if (!civic) {
      return streets.map((s) => ({
        street: s.name,
        civic: null,
        postcode: s.postcode,
        label: label(s.name, null, s.postcode),
        latitude: (s.fromLat + s.toLat) / 2,
        longitude: (s.fromLon + s.toLon) / 2,
      }))
    }
    if (streets.length === 0) return []
    const civics = await db
      .selectFrom('gazetteerCivics')
      .select(['streetId', 'civic', 'latitude', 'longitude'])
      .where(
        'streetId',
        'in',
        streets.map((s) => s.id),
      )
      .where(sql<boolean>`lower(civic) = ${civic.toLowerCase()}`)
      .execute()
    const byStreet = new Map(civics.map((c) => [c.streetId, c]))
    return streets.flatMap((s) => {
      const c = byStreet.get(s.id)
      return c
        ? [
            {
              street: s.name,
              civic: c.civic,
              postcode: s.postcode,
              label: label(s.name, c.civic, s.postcode),
              latitude: c.latitude,
              longitude: c.longitude,
            },
          ]
        : []
    })
  }

  return {
    suggest,
    /** The one address a typed text names (street and civic, or a street alone), or null. */
    async geocode(text: string): Promise<GazetteerAddress | null> {
      const found = await suggest(text, 2)
      if (found.length === 0) return null
      // Several streets match ("via roma" and "via roma di iolo"): the exact name wins, else none.
      if (found.length === 1) return found[0] ?? null
      const { words } = splitQuery(text)
      return found.find((a) => foldName(a.street) === words.join(' ')) ?? null
    },
  }
}
