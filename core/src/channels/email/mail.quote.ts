/** A reply's text split into what the sender wrote now and the history their client quoted below it. */
export interface QuotedReply {
  /** The new text; the whole original when nothing could safely be cut. */
  reply: string
  /** The quoted history, from its first line (attribution, separator or header block); null when none was cut. */
  quoted: string | null
}

/** "Il giorno lun 2 mar 2026 alle ore 10:00 … ha scritto:", "Il 02/03/2026 10:00, … ha scritto:", "On Mon, … wrote:". */
const ATTRIBUTION = /^(il giorno|il|in data|on)\s.*\d.*\s(ha scritto|wrote)\s?:$/i
/** Gmail wraps a long attribution over at most three lines. */
const ATTRIBUTION_LINES = 3
const SEPARATOR = /^-{2,}\s*(messaggio originale|original message)\s*-{2,}$/i
/** Outlook's rule above its header block. */
const RULE = /^_{10,}$/
const HEADER_FROM = /^\*?(da|from)\s?:\*?\s/i
const HEADER_DATE = /^\*?(inviato|data|sent|date)\s?:\*?\s/i
const HEADER_SUBJECT = /^\*?(oggetto|subject)\s?:\*?/i
/** How far below "Da:" Outlook puts "Oggetto:" (Da, Inviato, A, Cc, Oggetto, with room for wrapped lists). */
const HEADER_SPAN = 8

const isQuoted = (line: string) => line.startsWith('>')

function attributionAt(lines: string[], i: number): boolean {
  if (!/^(il|in data|on)\s/i.test(lines[i]?.trim() ?? '')) return false
  let joined = ''
  for (let k = i; k < Math.min(lines.length, i + ATTRIBUTION_LINES); k++) {
    joined = `${joined} ${lines[k]?.trim() ?? ''}`.trim()
    if (ATTRIBUTION.test(joined)) return true
  }
  return false
}

function outlookHeadersAt(lines: string[], i: number): boolean {
  const from = RULE.test(lines[i]?.trim() ?? '') ? i + 1 : i
  if (!HEADER_FROM.test(lines[from]?.trim() ?? '')) return false
  const block = lines.slice(from + 1, from + HEADER_SPAN).map((l) => l.trim())
  const date = block.findIndex((l) => HEADER_DATE.test(l))
  const subject = block.findIndex((l) => HEADER_SUBJECT.test(l))
  return date >= 0 && subject > date
}

/** Where the quoted history starts, and whether it is ">"-quoted (so inline answers can be told apart). */
function historyStart(lines: string[]): { at: number; prefixed: boolean } | null {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    if (isQuoted(line)) return { at: i, prefixed: true }
    if (attributionAt(lines, i)) return { at: i, prefixed: true }
    if (SEPARATOR.test(line.trim()) || outlookHeadersAt(lines, i)) return { at: i, prefixed: false }
  }
  return null
}

/**
 * Splits a plain-text email into the sender's new text and the conversation
 * their client quoted below it: Gmail/Apple/Thunderbird attributions ("… ha
 * scritto:", "… wrote:"), "-----Messaggio originale-----" / "-----Original
 * Message-----", Outlook's "Da: / Inviato: / Oggetto:" block, and ">" lines.
 * Cuts nothing — the whole text comes back as the reply — when the cut would
 * leave nothing, or when the sender answered inline (text after a ">" line),
 * because then their answers are inside the quote.
 */
export function splitQuotedReply(text: string): QuotedReply {
  const unchanged = { reply: text, quoted: null }
  const lines = text.replace(/\r\n/g, '\n').split('\n')
  const start = historyStart(lines)
  if (!start) return unchanged
  const history = lines.slice(start.at)
  if (start.prefixed) {
    const firstQuoted = history.findIndex(isQuoted)
    const inline =
      firstQuoted >= 0 && history.slice(firstQuoted).some((line) => line.trim() !== '' && !isQuoted(line))
    if (inline) return unchanged
  }
  const reply = lines.slice(0, start.at).join('\n').trimEnd()
  if (reply.trim() === '') return unchanged
  return { reply, quoted: history.join('\n') }
}
