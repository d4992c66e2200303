import exifr from 'exifr'
import { fileTypeFromBuffer } from 'file-type'
import sharp from 'sharp'
import { DomainError } from '../../errors.ts'

/** Photo types the public channels accept, read from the bytes: what phones and cameras produce. */
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const
export type PhotoType = (typeof PHOTO_TYPES)[number]

/** Photos per report, and the largest one, in bytes: a phone's burst, not an album. */
export const PHOTO_LIMITS = { files: 5, maxBytes: 10 * 1024 * 1024, maxPixels: 50_000_000 } as const

export interface PhotoPosition {
  latitude: number
  longitude: number
}

/** The type of a photo, from its magic number; null when it is not one of PHOTO_TYPES. */
export async function photoType(bytes: Buffer): Promise<PhotoType | null> {
  const found = await fileTypeFromBuffer(bytes)
  return found && (PHOTO_TYPES as readonly string[]).includes(found.mime) ? (found.mime as PhotoType) : null
}

/** Where the photo says it was taken (EXIF GPS), or null when it says nothing usable. */
export async function photoPosition(bytes: Buffer): Promise<PhotoPosition | null> {
  try {
    const gps = await exifr.gps(bytes)
    const { latitude, longitude } = gps ?? {}
    if (typeof latitude !== 'number' || typeof longitude !== 'number') return null
    if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return null
    if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return null
    return { latitude, longitude }
  } catch {
    // A photo without EXIF, or with EXIF exifr cannot read: no position, not an error.
    return null
  }
}

/**
 * The photo as it is stored: turned upright, re-encoded in its own format, without any
 * metadata (EXIF with its GPS position and camera serial, XMP, IPTC, ICC comments).
 * Re-encoding is what guarantees nothing rides along in the file.
 */
export async function stripPhoto(bytes: Buffer, type: PhotoType): Promise<Buffer> {
  try {
    const image = sharp(bytes, { limitInputPixels: PHOTO_LIMITS.maxPixels, failOn: 'error' }).rotate()
    switch (type) {
      case 'image/jpeg':
        return await image.jpeg({ quality: 88, mozjpeg: false }).toBuffer()
      case 'image/png':
        return await image.png().toBuffer()
      case 'image/webp':
        return await image.webp({ quality: 88 }).toBuffer()
    }
  } catch (err) {
    throw new DomainError('invalid', 'photo_unreadable', 'the photo cannot be read', { cause: err })
  }
}
