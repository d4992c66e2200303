import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The test corpus (core/test/fixtures/mail): real-world shapes of email and PEC
 * with {{PLACEHOLDERS}} for what each test decides (sender, ids to reply to, case
 * numbers). A PEC's daticert.xml is rendered from daticert.xml.tpl and base64-encoded
 * in place, as providers send it.
 */
const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/mail')

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

export const uniqueMessageId = (host = 'mail.example.it') => `<${randomBytes(8).toString('hex')}@${host}>`

function fill(template: string, vars: Record<string, string>, file: string): string {
  return template.replace(/\{\{([A-Z0-9_]+)(?::([^}]*))?\}\}/g, (_, key: string, arg: string | undefined) => {
    if (key === 'DATICERT_B64') {
      const [tipo = '', errore = 'nessuno'] = (arg ?? '').split(':')
      const xml = fill(
        readFileSync(path.join(dir, 'daticert.xml.tpl'), 'utf8'),
        {
          ...vars,
          TIPO: tipo,
          ERRORE: errore,
          ERRORE_ESTESO: errore === 'nessuno' ? '' : `5.1.1 - ${errore}`,
          ORIGINAL_ID_XML: xmlEscape(vars.ORIGINAL_ID ?? ''),
          SUBJECT: xmlEscape(vars.SUBJECT ?? ''),
        },
        'daticert.xml.tpl',
      )
      return (
        Buffer.from(xml, 'utf8')
          .toString('base64')
          .match(/.{1,76}/g) ?? []
      ).join('\r\n')
    }
    const value = vars[key]
    if (value === undefined) throw new Error(`${file}: no value for {{${key}}}`)
    return value
  })
}

/** A corpus message with its placeholders filled; MESSAGE_ID and PROVIDER_ID default to fresh ones. */
export function corpusMessage(name: string, vars: Record<string, string> = {}): Buffer {
  const raw = readFileSync(path.join(dir, name), 'utf8')
  const all = {
    MESSAGE_ID: uniqueMessageId(),
    PROVIDER_ID: `opec${randomBytes(6).toString('hex')}@pec.gestore.test`,
    ...vars,
  }
  return Buffer.from(fill(raw, all, name), 'utf8')
}
