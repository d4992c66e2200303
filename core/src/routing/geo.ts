/**
 * Point-in-area for routing rules: GeoJSON (RFC 7946) Polygon and MultiPolygon,
 * holes included. Positions are [longitude, latitude], as GeoJSON orders them.
 *
 * The test is planar ray casting on degrees, which at the scale of a municipality
 * (a few km) is what a map shows; it is not meant for areas spanning the
 * antimeridian or a pole. A point exactly on an edge is decided by the half-open
 * crossing rule: on an edge shared by two adjacent areas it normally falls in one
 * of them only, though floating-point rounding can still tip it either way.
 */

/** [longitude, latitude] in WGS 84 degrees. */
export type Position = [number, number]
/** A closed ring: first position repeated last, at least four positions. */
export type LinearRing = Position[]

export interface PolygonGeometry {
  type: 'Polygon'
  /** The outer ring, then any holes. */
  coordinates: LinearRing[]
}

export interface MultiPolygonGeometry {
  type: 'MultiPolygon'
  coordinates: LinearRing[][]
}

export type AreaGeometry = PolygonGeometry | MultiPolygonGeometry

/** A point as messages carry it. */
export interface LatLon {
  lat: number
  lon: number
}

/** Whether the point is inside the ring (crossing-number test; the ring's winding does not matter). */
export function pointInRing(point: LatLon, ring: LinearRing): boolean {
  const { lon: x, lat: y } = point
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i]
    const b = ring[j]
    if (!a || !b) continue
    const [xa, ya] = a
    const [xb, yb] = b
    // Half-open in y: a vertex on the ray is counted for one of its two edges only.
    if (ya > y !== yb > y && x < ((xb - xa) * (y - ya)) / (yb - ya) + xa) inside = !inside
  }
  return inside
}

/** Inside the outer ring and in none of the holes. */
export function pointInPolygon(point: LatLon, rings: readonly LinearRing[]): boolean {
  const [outer, ...holes] = rings
  if (!outer || !pointInRing(point, outer)) return false
  return !holes.some((hole) => pointInRing(point, hole))
}

/** Whether the point is inside the Polygon, or inside any polygon of the MultiPolygon. */
export function pointInArea(point: LatLon, area: AreaGeometry): boolean {
  return area.type === 'Polygon'
    ? pointInPolygon(point, area.coordinates)
    : area.coordinates.some((polygon) => pointInPolygon(point, polygon))
}
