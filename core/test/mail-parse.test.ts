import { describe, expect, it } from 'vitest'
import { decryptSecret, encryptSecret } from '../src/channels/email/mail.crypto.ts'
import {
  isAutoReply,
  parseDeliveryReport,
  parseMailContent,
  sanitiseEmailHtml,
  topHeaders,
} from '../src/channels/email/mail.parse.ts'
import { replySubject } from '../src/channels/email/mail.send.ts'
import { caseOfMessageId, signedMessageId } from '../src/channels/email/mail.sign.ts'
import { pecKindOf, pecParts } from '../src/channels/email/pec.ts'
import { corpusMessage } from './mail/corpus.ts'

const FROM = 'niccolo.bartoli@example.it'
const reply = { IN_REPLY_TO: '<a@x>', REFERENCES: '<a@x>', SUBJECT: 'Buca in via Roma', FROM }

describe('email parsing (corpus)', () => {
  it('decodes a Gmail message: RFC 2047 subject and name, quoted-printable UTF-8, inline image and attachment', async () => {
    const mail = await parseMailContent(corpusMessage('gmail-new.eml', { FROM }))
    expect(mail.subject).toBe('Lampione spento in via Ser Lapo Mazzei — là davanti al civico 9')
    expect(mail.from).toEqual({ address: FROM, name: 'Niccolò Bàrtoli' })
    expect(mail.messageId).toBe('<CAF3xk9Q2b7m=Lampione01@mail.gmail.com>')
    expect(mail.text).toContain('di via Ser Lapo Mazzei è spento da tre sere')
    expect(mail.attachments.map((a) => [a.filename, a.contentType, a.contentId ?? null])).toEqual([
      ['foto.png', 'image/png', 'ii_foto01'],
      ['segnalazione n°1.pdf', 'application/pdf', null],
    ])
  })

  it('keeps no script, handler, style, javascript: link or remote image (tracking pixel) in HTML', async () => {
    const { html } = await parseMailContent(corpusMessage('gmail-new.eml', { FROM }))
    expect(html).toContain('<b>è spento</b>')
    expect(html).toContain('src="cid:ii_foto01"')
    expect(html).toContain('href="https://www.comune.prato.it/"')
    for (const bad of [
      '<script',
      'onclick',
      'steal()',
      'tracker.example',
      'javascript:',
      '<style',
      'document.cookie',
    ]) {
      expect(html).not.toContain(bad)
    }
    expect(
      sanitiseEmailHtml('<img src="//tracker.example/p.gif"><img src="data:image/png;base64,AAAA">'),
    ).toBe('')
  })

  it('decodes Windows-1252 (Outlook) and ISO-8859-1 base64 bodies and headers', async () => {
    const outlook = await parseMailContent(corpusMessage('outlook-reply.eml', reply))
    expect(outlook.text).toContain('ho pagato 120 € ma risulta ancora il sollecito “TARI 2025”. Perché?')
    expect(outlook.from).toEqual({ address: FROM, name: 'Rossi, Maria' })
    expect(outlook.inReplyTo).toBe('<a@x>')
    const latin = await parseMailContent(corpusMessage('latin1-base64.eml', { FROM }))
    expect(latin.subject).toBe('Tassa sui rifiuti: più chiarezza')
    expect(latin.from?.name).toBe('Giò Fabbri')
    expect(latin.text).toContain("perché l'importo è aumentato?")
  })

  it('recognises every kind of automatic reply, and not a person’s reply', async () => {
    for (const name of [
      'autoreply-auto-submitted.eml',
      'autoreply-x-autoreply.eml',
      'autoreply-x-autorespond.eml',
      'autoreply-precedence-bulk.eml',
      'autoreply-vacation-subject.eml',
    ]) {
      const raw = corpusMessage(name, reply)
      const { subject } = await parseMailContent(raw)
      expect(isAutoReply(topHeaders(raw), subject), name).toBe(true)
    }
    // A citizen's subject that merely sounds like one is a request.
    expect(isAutoReply(new Map(), 'Assente il servizio di raccolta in via Roma')).toBe(false)
    expect(isAutoReply(new Map(), 'Fuori sede: richiesta certificato di residenza')).toBe(false)
    expect(isAutoReply(new Map([['auto-submitted', 'no']]), 'Buca in via Roma')).toBe(false)
    for (const name of ['gmail-reply.eml', 'outlook-reply.eml']) {
      const raw = corpusMessage(name, reply)
      const { subject } = await parseMailContent(raw)
      expect(isAutoReply(topHeaders(raw), subject), name).toBe(false)
    }
  })

  it('reads a DSN bounce: the failed message, recipient, status and diagnostic', () => {
    const report = parseDeliveryReport(
      corpusMessage('dsn-bounce.eml', {
        RECIPIENT: 'nessuno@example.it',
        ORIGINAL_ID: '<orig.1@comune.prato.test>',
      }),
    )
    expect(report).toMatchObject({
      originalMessageId: '<orig.1@comune.prato.test>',
      recipient: 'nessuno@example.it',
      action: 'failed',
      status: '5.1.1',
    })
    expect(report?.diagnostic).toContain('User unknown')
    expect(parseDeliveryReport(corpusMessage('gmail-reply.eml', reply))).toBeNull()
  })

  it('unwraps a PEC envelope: the original from postacert.eml, the certified sender from daticert.xml', async () => {
    const raw = corpusMessage('pec-posta-certificata.eml', {
      FROM: 'studio.bianchi@pec.example.it',
      TO: 'protocollo@pec.comune.prato.test',
      ORIGINAL_ID: '<orig.pec.1@pec.example.it>',
      SUBJECT: 'Richiesta di accesso agli atti',
    })
    expect(pecKindOf(topHeaders(raw))).toEqual({ kind: 'envelope', transport: 'posta-certificata' })
    const parts = pecParts(raw)
    expect(parts.daticert).toMatchObject({
      tipo: 'posta-certificata',
      mittente: 'studio.bianchi@pec.example.it',
      msgid: '<orig.pec.1@pec.example.it>',
    })
    const original = await parseMailContent(parts.original ?? Buffer.alloc(0))
    expect(original.messageId).toBe('<orig.pec.1@pec.example.it>')
    expect(original.subject).toBe('Richiesta di accesso agli atti - pratica edilizia 123/2025')
    expect(original.text).toContain('pratica edilizia 123/2025, ai sensi della L. 241/1990')
    expect(original.attachments.map((a) => a.filename)).toEqual(['istanza.pdf'])
  })

  it('reads PEC receipts of each kind with the message they refer to', () => {
    const kinds = {
      'pec-accettazione.eml': ['accettazione', 'nessuno'],
      'pec-avvenuta-consegna.eml': ['avvenuta-consegna', 'nessuno'],
      'pec-non-accettazione.eml': ['non-accettazione', 'altro'],
      'pec-errore-consegna.eml': ['errore-consegna', 'no-dest'],
    }
    for (const [name, [tipo, errore]] of Object.entries(kinds)) {
      const raw = corpusMessage(name, {
        FROM: 'protocollo@pec.comune.prato.test',
        TO: 'ditta@pec.example.it',
        ORIGINAL_ID: '<filo.c1.x@pec.comune.prato.test>',
        SUBJECT: 'Re: Pratica [PRA-2026-000001]',
      })
      expect(pecKindOf(topHeaders(raw)), name).toEqual({ kind: 'receipt', receipt: tipo })
      expect(pecParts(raw).daticert, name).toMatchObject({
        tipo,
        errore,
        msgid: '<filo.c1.x@pec.comune.prato.test>',
      })
    }
  })
})

describe('signed Message-IDs and encrypted credentials', () => {
  const key = 'a-test-signing-key-that-is-long-enough'

  it('carries its case, and a forged or altered one names none', () => {
    const id = signedMessageId(key, 4321, 'comune.prato.test')
    expect(id).toMatch(/^<filo\.c4321\.[0-9a-f]{16}\.[0-9a-f]{24}@comune\.prato\.test>$/)
    expect(caseOfMessageId(key, id)).toBe(4321)
    expect(caseOfMessageId('another-key-another-key-another-key', id)).toBeNull()
    expect(caseOfMessageId(key, id.replace('c4321', 'c4322'))).toBeNull()
    expect(caseOfMessageId(key, '<filo.c4321.0011223344556677.000000000000000000000000@x>')).toBeNull()
    expect(caseOfMessageId(key, '<CAF3xk9Q@mail.gmail.com>')).toBeNull()
  })

  it('encrypts mailbox passwords so that only the key opens them', () => {
    const sealed = encryptSecret(key, 'pässword')
    expect(sealed).not.toContain('pässword')
    expect(decryptSecret(key, sealed)).toBe('pässword')
    expect(() => decryptSecret('another-key-another-key-another-key', sealed)).toThrow(
      /MAIL_CREDENTIALS_KEY is not the key it was saved with/,
    )
  })

  it('writes Re: and the case number once in a reply subject', () => {
    expect(replySubject('R: Re: Buca in via Roma', 'PRA-2026-000123')).toBe(
      'Re: Buca in via Roma [PRA-2026-000123]',
    )
    expect(replySubject('Re: Buca [PRA-2026-000123]', 'PRA-2026-000123')).toBe('Re: Buca [PRA-2026-000123]')
  })
})
