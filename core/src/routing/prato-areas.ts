import { type LatLon, type PolygonGeometry, type Position, pointInArea } from './geo.ts'

/**
 * Prato's five circoscrizioni as rough polygons, for demo data and for trying
 * area rules out. THESE ARE APPROXIMATIONS FOR DEMO ROUTING, NOT THE OFFICIAL
 * BOUNDARIES: Centro is a rectangle around the walled city, and the other four
 * are the trapezoids between it and a box of about 16 × 11 km around the city,
 * split along the diagonals. They tile that box without overlapping; a real
 * deployment loads the municipality's boundary files instead.
 */
export interface PratoArea {
  key: 'prato_centro' | 'prato_nord' | 'prato_est' | 'prato_sud' | 'prato_ovest'
  name: string
  geometry: PolygonGeometry
}

// The walled centre, roughly (Piazza del Comune is at 43.8808 N, 11.0966 E).
const C_NW: Position = [11.088, 43.887]
const C_NE: Position = [11.104, 43.887]
const C_SE: Position = [11.104, 43.875]
const C_SW: Position = [11.088, 43.875]
// The outer box, reaching past the municipality's edge so every address in it falls somewhere.
const O_NW: Position = [11.0, 43.93]
const O_NE: Position = [11.2, 43.93]
const O_SE: Position = [11.2, 43.83]
const O_SW: Position = [11.0, 43.83]

const polygon = (...corners: Position[]): PolygonGeometry => {
  const [first] = corners
  return { type: 'Polygon', coordinates: [first ? [...corners, first] : corners] }
}

/** The approximate circoscrizioni (see the note above: not official boundaries). */
export const PRATO_AREAS: readonly PratoArea[] = [
  { key: 'prato_centro', name: 'Prato Centro', geometry: polygon(C_SW, C_SE, C_NE, C_NW) },
  { key: 'prato_nord', name: 'Prato Nord', geometry: polygon(O_NW, C_NW, C_NE, O_NE) },
  { key: 'prato_est', name: 'Prato Est', geometry: polygon(O_NE, C_NE, C_SE, O_SE) },
  { key: 'prato_sud', name: 'Prato Sud', geometry: polygon(O_SE, C_SE, C_SW, O_SW) },
  { key: 'prato_ovest', name: 'Prato Ovest', geometry: polygon(O_SW, C_SW, C_NW, O_NW) },
]

/** Every approximate circoscrizione containing the point: one inside the box, none outside it. */
export function pratoAreasAt(point: LatLon): PratoArea[] {
  return PRATO_AREAS.filter((area) => pointInArea(point, area.geometry))
}
