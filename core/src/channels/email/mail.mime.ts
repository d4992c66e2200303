/**
 * A small MIME walker for the parts whose raw bytes matter and that a mail
 * parser would flatten into text: a PEC envelope's postacert.eml and
 * daticert.xml, a bounce's delivery-status and returned headers. Bytes are
 * handled as latin1 strings, which map one to one onto bytes.
 */
export interface MimePart {
  /** Lowercased names; folded lines unfolded; the first of repeated headers. */
  headers: Map<string, string>
  /** Lowercased type/subtype, text/plain when absent. */
  contentType: string
  /** Parameters of Content-Type and Content-Disposition (name, filename, boundary, report-type…), lowercased keys. */
  params: Record<string, string>
  /** The part's body as sent (still transfer-encoded). */
  rawBody: Buffer
  children: MimePart[]
}

const MAX_DEPTH = 12

function splitHead(raw: string): { head: string; body: string } {
  const match = /\r?\n\r?\n/.exec(raw)
  if (!match) return { head: raw, body: '' }
  return { head: raw.slice(0, match.index), body: raw.slice(match.index + match[0].length) }
}

/** Header fields of a raw header block: lowercased names, folded lines joined. */
export function parseHeaderBlock(head: string): Map<string, string> {
  const headers = new Map<string, string>()
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ')
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    const name = line.slice(0, colon).trim().toLowerCase()
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim())
  }
  return headers
}

function parseParams(value: string, into: Record<string, string>): string {
  const [first = '', ...rest] = value.split(';')
  for (const piece of rest) {
    const eq = piece.indexOf('=')
    if (eq <= 0) continue
    const key = piece.slice(0, eq).trim().toLowerCase().replace(/\*$/, '')
    let val = piece.slice(eq + 1).trim()
    if (val.startsWith('"') && val.endsWith('"')) val = val.slice(1, -1)
    into[key] = val
  }
  return first.trim().toLowerCase()
}

export function parseMime(raw: Buffer | string, depth = 0): MimePart {
  const text = typeof raw === 'string' ? raw : raw.toString('latin1')
  const { head, body } = splitHead(text)
  const headers = parseHeaderBlock(head)
  const params: Record<string, string> = {}
  const contentType = parseParams(headers.get('content-type') ?? 'text/plain', params) || 'text/plain'
  parseParams(headers.get('content-disposition') ?? '', params)
  const part: MimePart = { headers, contentType, params, rawBody: Buffer.from(body, 'latin1'), children: [] }
  const boundary = params.boundary
  if (contentType.startsWith('multipart/') && boundary && depth < MAX_DEPTH) {
    const delimiter = `--${boundary}`
    const lines = body.split(/\r?\n/)
    let current: string[] | null = null
    for (const line of lines) {
      if (line.startsWith(delimiter)) {
        if (current) part.children.push(parseMime(current.join('\r\n'), depth + 1))
        if (line.startsWith(`${delimiter}--`)) break
        current = []
        continue
      }
      current?.push(line)
    }
  }
  return part
}

/** The body's bytes with its Content-Transfer-Encoding undone. */
export function decodeBody(part: MimePart): Buffer {
  const encoding = (part.headers.get('content-transfer-encoding') ?? '7bit').trim().toLowerCase()
  const raw = part.rawBody.toString('latin1')
  if (encoding === 'base64') return Buffer.from(raw.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64')
  if (encoding === 'quoted-printable') {
    const soft = raw.replace(/=\r?\n/g, '')
    return Buffer.from(
      soft.replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
      'latin1',
    )
  }
  return part.rawBody
}

/** Every part of the tree, depth first. */
export function* walk(part: MimePart): Generator<MimePart> {
  yield part
  for (const child of part.children) yield* walk(child)
}

/** The first part satisfying `test`, anywhere in the tree. */
export const findPart = (root: MimePart, test: (p: MimePart) => boolean): MimePart | undefined => {
  for (const p of walk(root)) if (test(p)) return p
  return undefined
}

/** The part's file name, from Content-Disposition or Content-Type, lowercased. */
export const fileNameOf = (part: MimePart): string =>
  (part.params.filename ?? part.params.name ?? '').toLowerCase()
