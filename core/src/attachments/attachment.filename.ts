import { MAX_FILENAME_LENGTH } from './attachment.schemas.ts'

/** What a file is called when nothing usable is left of the name it came with. */
export const FALLBACK_FILENAME = 'allegato'

// Control characters, and the invisible format ones: among them the bidirectional
// overrides that make "fotogpj.exe" display as "fotoexe.jpg".
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu
// Reserved on Windows (and / everywhere): a downloaded file must be savable as named.
const RESERVED = /[<>:"/\\|?*]/g
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)/i
const EXTENSION = /\.[\p{L}\p{N}]{1,16}$/u

/**
 * A client's filename made safe to store and to offer back on download: only the
 * last path segment, no control or reserved characters, no leading dots or trailing
 * dots and spaces, at most 200 characters with the extension kept; "allegato" when
 * nothing is left. The name is only a label: blobs are stored by hash, never by it.
 */
export function sanitiseFilename(raw: string): string {
  const lastSegment = raw.normalize('NFC').split(/[/\\]/).pop() ?? ''
  let name = lastSegment
    .replace(INVISIBLE, '')
    .replace(RESERVED, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+/, '')
    .replace(/[\s.]+$/, '')
  if (WINDOWS_DEVICE.test(name)) name = `_${name}`
  const chars = Array.from(name)
  if (chars.length > MAX_FILENAME_LENGTH) {
    const extension = Array.from(EXTENSION.exec(name)?.[0] ?? '')
    // Counted in code points so an emoji is never cut in half.
    name =
      chars
        .slice(0, MAX_FILENAME_LENGTH - extension.length)
        .join('')
        .trimEnd() + extension.join('')
  }
  return name || FALLBACK_FILENAME
}

/** The extension of a filename, lowercase and without the dot; '' when there is none. */
export function extensionOf(filename: string): string {
  return EXTENSION.exec(filename)?.[0].slice(1).toLowerCase() ?? ''
}
