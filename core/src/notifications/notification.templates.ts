import type { Language } from '../i18n.ts'

/** IO's MessageContent limits (io-functions-commons definitions: MessageSubject, MessageBodyMarkdown). */
export const IO_SUBJECT_MIN = 10
export const IO_SUBJECT_MAX = 120
export const IO_MARKDOWN_MIN = 80
export const IO_MARKDOWN_MAX = 10_000

const VARIABLE = /\{\{\s*([a-zA-Z][a-zA-Z0-9]*)\s*\}\}/g

const escapeHtml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  )

/** Characters Markdown would read as formatting, so a citizen's own words stay words. */
const escapeMarkdown = (s: string): string => s.replace(/([\\`*_[\]#<>|])/g, '\\$1')

/**
 * Fills `{{name}}` placeholders. Values are escaped for the target (HTML or Markdown);
 * values listed in `raw` are already formatted for it. Unknown names become empty.
 */
export function renderTemplate(
  template: string,
  vars: Record<string, string>,
  mode: 'text' | 'html' | 'markdown',
  raw: readonly string[] = [],
): string {
  return template.replace(VARIABLE, (_, name: string) => {
    const value = vars[name] ?? ''
    if (raw.includes(name)) return value
    return mode === 'html' ? escapeHtml(value) : mode === 'markdown' ? escapeMarkdown(value) : value
  })
}

/** The names a template uses, for the admin's preview. */
export const templateVariables = (template: string): string[] => [
  ...new Set([...template.matchAll(VARIABLE)].map((m) => m[1] ?? '')),
]

const PADDING: Record<Language, string> = {
  it: 'Questo messaggio ti è stato inviato dal Comune di Prato sulla tua richiesta.',
  en: 'This message was sent to you by the Comune di Prato about your request.',
}
const SUBJECT_PADDING: Record<Language, string> = { it: ' — Comune di Prato', en: ' — Comune di Prato' }
const TRIMMED: Record<Language, string> = {
  it: '\n\n…\n\nIl testo completo è nella pagina della richiesta.',
  en: '\n\n…\n\nThe full text is on the request page.',
}

/**
 * Makes rendered content fit IO's limits, sensibly: a short subject gets the
 * Comune's name, a long one is cut at a word with an ellipsis; a short body gets
 * a closing sentence, a long one is cut at a paragraph or word and points to the
 * status page. Collapses blank runs left by empty variables. Says what it changed.
 */
export function fitIoContent(
  subject: string,
  markdown: string,
  language: Language,
  statusUrl: string,
): { subject: string; markdown: string; adjusted: string[] } {
  const adjusted: string[] = []
  let s = subject.replace(/\s+/g, ' ').trim()
  if (s.length < IO_SUBJECT_MIN) {
    s = `${s}${SUBJECT_PADDING[language]}`.trim()
    adjusted.push('subject_padded')
  }
  if (s.length > IO_SUBJECT_MAX) {
    const cut = s.slice(0, IO_SUBJECT_MAX - 1)
    const space = cut.lastIndexOf(' ')
    s = `${(space > IO_SUBJECT_MAX / 2 ? cut.slice(0, space) : cut).trimEnd()}…`
    adjusted.push('subject_trimmed')
  }
  let m = markdown
    .replace(/\r\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
  if (m.length > IO_MARKDOWN_MAX) {
    const tail = `${TRIMMED[language]} ${statusUrl}`
    const room = IO_MARKDOWN_MAX - tail.length
    const cut = m.slice(0, room)
    const para = cut.lastIndexOf('\n\n')
    const space = cut.lastIndexOf(' ')
    const at = para > room * 0.8 ? para : space > room * 0.8 ? space : room
    m = `${cut.slice(0, at).trimEnd()}${tail}`
    adjusted.push('markdown_trimmed')
  }
  while (m.length < IO_MARKDOWN_MIN) {
    m = `${m}\n\n${PADDING[language]}`.trim()
    adjusted.push('markdown_padded')
  }
  return { subject: s, markdown: m, adjusted: [...new Set(adjusted)] }
}

/** Whether content is valid for IO's POST /messages: checked again right before sending. */
export function ioContentValid(subject: string, markdown: string): boolean {
  return (
    subject.length >= IO_SUBJECT_MIN &&
    subject.length <= IO_SUBJECT_MAX &&
    markdown.length >= IO_MARKDOWN_MIN &&
    markdown.length <= IO_MARKDOWN_MAX
  )
}
