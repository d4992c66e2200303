import { decodeBody, fileNameOf, findPart, type Headers, messageIdsIn, parseMime } from './mail.parse.ts'

/**
 * PEC (posta elettronica certificata, DPR 68/2005 and its technical rules): what
 * a PEC mailbox receives is either a transport envelope (X-Trasporto:
 * posta-certificata) wrapping the sender's original message as postacert.eml,
 * or a receipt about a message we sent (X-Ricevuta: accettazione,
 * avvenuta-consegna…). Both carry daticert.xml, the provider's certified data.
 */
export type PecKind =
  | { kind: 'envelope'; transport: string }
  | { kind: 'receipt'; receipt: string }
  | { kind: 'none' }

export function pecKindOf(headers: Headers): PecKind {
  const receipt = headers.get('x-ricevuta')?.trim().toLowerCase()
  if (receipt) return { kind: 'receipt', receipt }
  const transport = headers.get('x-trasporto')?.trim().toLowerCase()
  if (transport) return { kind: 'envelope', transport }
  return { kind: 'none' }
}

/** The certified data of daticert.xml. */
export interface Daticert {
  /** postacert@tipo: posta-certificata, accettazione, avvenuta-consegna, errore-consegna… */
  tipo: string | null
  /** postacert@errore: nessuno, no-dest, no-dominio, virus, altro. */
  errore: string | null
  mittente: string | null
  destinatari: string[]
  oggetto: string | null
  identificativo: string | null
  /** Message-ID of the original message, angle brackets included. */
  msgid: string | null
  consegna: string | null
  erroreEsteso: string | null
}

const decodeXml = (value: string): string =>
  value
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&')
    .trim()

const elements = (xml: string, name: string): string[] =>
  [...xml.matchAll(new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`, 'g'))].map((m) =>
    decodeXml(m[1] ?? ''),
  )

const attribute = (xml: string, element: string, name: string): string | null => {
  const tag = new RegExp(`<${element}\\s[^>]*\\b${name}\\s*=\\s*"([^"]*)"`).exec(xml)
  return tag?.[1] ? decodeXml(tag[1]) : null
}

/** Reads daticert.xml (a flat, published structure: regular expressions are enough and pull in no XML parser). */
export function parseDaticert(xml: string): Daticert {
  const first = (name: string) => elements(xml, name)[0] ?? null
  return {
    tipo: attribute(xml, 'postacert', 'tipo'),
    errore: attribute(xml, 'postacert', 'errore'),
    mittente: first('mittente')?.toLowerCase() ?? null,
    destinatari: elements(xml, 'destinatari').map((d) => d.toLowerCase()),
    oggetto: first('oggetto'),
    identificativo: first('identificativo'),
    msgid: messageIdsIn(first('msgid'))[0] ?? null,
    consegna: first('consegna')?.toLowerCase() ?? null,
    erroreEsteso: first('errore-esteso'),
  }
}

/** The parts of a PEC message that matter: the original (raw, for postacert.eml) and the certified data. */
export interface PecParts {
  original: Buffer | null
  daticert: Daticert | null
}

export function pecParts(raw: Buffer): PecParts {
  const root = parseMime(raw)
  const original = findPart(
    root,
    (p) => p.contentType === 'message/rfc822' && fileNameOf(p) === 'postacert.eml',
  )
  const daticert = findPart(root, (p) => fileNameOf(p) === 'daticert.xml')
  return {
    original: original ? decodeBody(original) : null,
    daticert: daticert ? parseDaticert(decodeBody(daticert).toString('utf8')) : null,
  }
}
