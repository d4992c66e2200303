import { type CategoryQuestion, type Database, questionsToDb } from '@filo/core'
import sharp from 'sharp'
import { createOffice } from '../../core/test/fixtures.ts'

/** The pothole category's questions: one of each kind the form and Open311 must handle. */
export const POTHOLE_QUESTIONS: CategoryQuestion[] = [
  {
    code: 'dimensione',
    labelIt: 'Quanto è grande la buca?',
    labelEn: 'How big is the pothole?',
    datatype: 'singlevaluelist',
    required: true,
    order: 1,
    values: [
      { key: 'piccola', nameIt: 'Piccola (meno di 30 cm)', nameEn: 'Small (under 30 cm)' },
      { key: 'grande', nameIt: 'Grande (più di 30 cm)', nameEn: 'Large (over 30 cm)' },
    ],
  },
  {
    code: 'pericoli',
    labelIt: 'Che cosa rischia chi passa?',
    labelEn: 'Who is at risk?',
    datatype: 'multivaluelist',
    required: false,
    order: 2,
    values: [
      { key: 'pedoni', nameIt: 'Pedoni', nameEn: 'Pedestrians' },
      { key: 'bici', nameIt: 'Biciclette', nameEn: 'Bicycles' },
      { key: 'auto', nameIt: 'Automobili', nameEn: 'Cars' },
    ],
  },
  {
    code: 'profondita_cm',
    labelIt: 'Profondità in centimetri',
    labelEn: 'Depth in centimetres',
    datatype: 'number',
    required: false,
    order: 3,
  },
]

/** An office, a parent category, a pothole category with questions and a street-light one without. */
export async function createPublicCategories(db: Database) {
  const office = await createOffice(db, 'Lavori Pubblici')
  const insert = (
    code: string,
    nameIt: string,
    nameEn: string,
    parentId: number | null,
    questions: CategoryQuestion[] = [],
  ) =>
    db
      .insertInto('categories')
      .values({ code, nameIt, nameEn, parentId, officeId: office.id, questions: questionsToDb(questions) })
      .returning(['id', 'code'])
      .executeTakeFirstOrThrow()
  const roads = await insert('strade', 'Strade', 'Roads', null)
  const pothole = await insert('strade.buche', 'Buca nella strada', 'Pothole', roads.id, POTHOLE_QUESTIONS)
  const light = await insert('illuminazione', 'Lampione spento', 'Street light out', null)
  return { office, roads, pothole, light }
}

/** Writes a rational EXIF GPS value (degrees, minutes, seconds). */
function rationals(value: number): number[] {
  const deg = Math.floor(value)
  const minFloat = (value - deg) * 60
  const min = Math.floor(minFloat)
  const sec = Math.round((minFloat - min) * 60 * 10000)
  return [deg, 1, min, 1, sec, 10000]
}

/**
 * A small real JPEG whose EXIF says it was taken at (lat, lon), with a camera make and
 * model too: an APP1 segment built by hand (TIFF little-endian, IFD0 → GPS IFD) and
 * put after the SOI of a JPEG that sharp encodes.
 */
export async function jpegWithGps(lat: number, lon: number): Promise<Buffer> {
  const plain = await sharp({
    create: { width: 32, height: 24, channels: 3, background: { r: 200, g: 120, b: 40 } },
  })
    .jpeg()
    .toBuffer()
  const make = Buffer.from('FiloCam\0', 'latin1')
  // TIFF header (8) + IFD0 with 2 entries (2 + 2*12 + 4 = 30) + Make string (8) + GPS IFD with 4 entries (2 + 48 + 4 = 54) + 2 rationals×3 (48)
  const ifd0 = 8
  const makeAt = ifd0 + 30
  const gpsAt = makeAt + make.length
  const latAt = gpsAt + 54
  const lonAt = latAt + 24
  const tiff = Buffer.alloc(lonAt + 24)
  tiff.write('II', 0, 'latin1')
  tiff.writeUInt16LE(42, 2)
  tiff.writeUInt32LE(ifd0, 4)
  let p = ifd0
  tiff.writeUInt16LE(2, p)
  p += 2
  const entry = (tag: number, type: number, count: number, value: number) => {
    tiff.writeUInt16LE(tag, p)
    tiff.writeUInt16LE(type, p + 2)
    tiff.writeUInt32LE(count, p + 4)
    tiff.writeUInt32LE(value, p + 8)
    p += 12
  }
  entry(0x010f, 2, make.length, makeAt) // Make
  entry(0x8825, 4, 1, gpsAt) // GPS IFD pointer
  tiff.writeUInt32LE(0, p)
  make.copy(tiff, makeAt)
  p = gpsAt
  tiff.writeUInt16LE(4, p)
  p += 2
  entry(0x0001, 2, 2, Buffer.from(lat >= 0 ? 'N\0\0\0' : 'S\0\0\0', 'latin1').readUInt32LE(0)) // GPSLatitudeRef
  entry(0x0002, 5, 3, latAt) // GPSLatitude
  entry(0x0003, 2, 2, Buffer.from(lon >= 0 ? 'E\0\0\0' : 'W\0\0\0', 'latin1').readUInt32LE(0)) // GPSLongitudeRef
  entry(0x0004, 5, 3, lonAt) // GPSLongitude
  tiff.writeUInt32LE(0, p)
  for (const [i, v] of rationals(Math.abs(lat)).entries()) tiff.writeUInt32LE(v, latAt + i * 4)
  for (const [i, v] of rationals(Math.abs(lon)).entries()) tiff.writeUInt32LE(v, lonAt + i * 4)
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff])
  const app1 = Buffer.alloc(4)
  app1.writeUInt16BE(0xffe1, 0)
  app1.writeUInt16BE(payload.length + 2, 2)
  return Buffer.concat([plain.subarray(0, 2), app1, payload, plain.subarray(2)])
}
