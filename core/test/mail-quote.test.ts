import { describe, expect, it } from 'vitest'
import { splitQuotedReply } from '../src/channels/email/mail.quote.ts'

const lines = (...l: string[]) => l.join('\n')

describe('splitQuotedReply', () => {
  it('cuts an Italian Gmail attribution and its ">" quote, keeping the phone signature', () => {
    const text = lines(
      'Grazie, stasera il lampione è di nuovo spento.',
      '',
      'Inviato da iPhone',
      '',
      'Il giorno lun 30 nov 2026 alle ore 10:12 Comune di Prato <urp@comune.prato.it>',
      'ha scritto:',
      '',
      '> Gentile cittadino, abbiamo preso in carico la segnalazione.',
      '>',
      '> URP',
    )
    const { reply, quoted } = splitQuotedReply(text)
    expect(reply).toBe('Grazie, stasera il lampione è di nuovo spento.\n\nInviato da iPhone')
    expect(quoted).toMatch(/^Il giorno lun 30 nov 2026/)
    expect(quoted).toContain('> URP')
  })

  it('cuts an English Gmail attribution', () => {
    const text = lines(
      'The light is still off.',
      '',
      'On Mon, 30 Nov 2026 at 10:12, Comune di Prato <urp@comune.prato.it> wrote:',
      '> We have received your report.',
    )
    expect(splitQuotedReply(text)).toEqual({
      reply: 'The light is still off.',
      quoted: lines(
        'On Mon, 30 Nov 2026 at 10:12, Comune di Prato <urp@comune.prato.it> wrote:',
        '> We have received your report.',
      ),
    })
  })

  it('cuts a Thunderbird attribution ("Il 30/11/2026 10:12, … ha scritto:")', () => {
    const text = lines('Va bene.', '', 'Il 30/11/2026 10:12, Comune di Prato ha scritto:', '> Confermi?')
    expect(splitQuotedReply(text).reply).toBe('Va bene.')
  })

  it('cuts an Outlook header block in Italian, with no ">" on the quoted lines', () => {
    const text = lines(
      'Buongiorno, ho pagato 120 € ma risulta ancora il sollecito.',
      '',
      'Maria Rossi',
      '',
      '________________________________',
      'Da: URP Comune di Prato <urp@comune.prato.it>',
      'Inviato: lunedì 30 novembre 2026 10:12',
      'A: Rossi, Maria <maria.rossi@example.it>',
      'Oggetto: Sollecito TARI',
      '',
      'Gentile signora, stiamo verificando.',
    )
    const { reply, quoted } = splitQuotedReply(text)
    expect(reply).toBe('Buongiorno, ho pagato 120 € ma risulta ancora il sollecito.\n\nMaria Rossi')
    expect(quoted).toContain('Gentile signora, stiamo verificando.')
  })

  it('cuts an Outlook header block in English', () => {
    const text = lines(
      'Paid yesterday.',
      '',
      'From: URP Comune di Prato <urp@comune.prato.it>',
      'Sent: Monday, November 30, 2026 10:12 AM',
      'To: Maria Rossi <maria.rossi@example.it>',
      'Cc: Ufficio Tributi <tributi@comune.prato.it>',
      'Subject: TARI reminder',
      '',
      'Dear Ms Rossi, we are checking.',
    )
    expect(splitQuotedReply(text).reply).toBe('Paid yesterday.')
  })

  it('cuts at "-----Messaggio originale-----" and "-----Original Message-----"', () => {
    for (const separator of ['-----Messaggio originale-----', '-----Original Message-----']) {
      const text = lines('Allego la ricevuta.', '', separator, 'Da: urp@comune.prato.it', 'Testo vecchio')
      expect(splitQuotedReply(text)).toEqual({
        reply: 'Allego la ricevuta.',
        quoted: lines(separator, 'Da: urp@comune.prato.it', 'Testo vecchio'),
      })
    }
  })

  it('cuts bare ">" lines with no attribution', () => {
    const text = lines('Sì, confermo.', '', '> Può confermare l’indirizzo?', '> Via Roma 3')
    expect(splitQuotedReply(text)).toEqual({
      reply: 'Sì, confermo.',
      quoted: lines('> Può confermare l’indirizzo?', '> Via Roma 3'),
    })
  })

  it('leaves a message with no quote unchanged, including "Da:" and "wrote" in ordinary sentences', () => {
    const text = lines(
      'Buongiorno,',
      'Da: ieri sera il lampione è spento.',
      'On Monday I wrote: nobody came.',
      'Grazie',
    )
    expect(splitQuotedReply(text)).toEqual({ reply: text, quoted: null })
  })

  it('keeps a message that is only a quote', () => {
    const text = lines(
      'On Mon, 30 Nov 2026 at 10:12, Comune di Prato <urp@comune.prato.it> wrote:',
      '> We have received your report.',
    )
    expect(splitQuotedReply(text)).toEqual({ reply: text, quoted: null })
    const outlook = lines('-----Original Message-----', 'From: urp@comune.prato.it', 'Old text')
    expect(splitQuotedReply(outlook)).toEqual({ reply: outlook, quoted: null })
  })

  it('keeps everything when the citizen answered inline between quoted lines', () => {
    const text = lines(
      'Rispondo sotto.',
      '',
      'Il giorno lun 30 nov 2026 alle ore 10:12 Comune di Prato <urp@comune.prato.it> ha scritto:',
      '> Qual è il numero civico?',
      '12',
      '> Da quanti giorni?',
      'Tre giorni',
    )
    expect(splitQuotedReply(text)).toEqual({ reply: text, quoted: null })
  })

  it('keeps everything when an inline answer follows a bare ">" quote', () => {
    const text = lines('> Qual è il numero civico?', '12')
    expect(splitQuotedReply(text)).toEqual({ reply: text, quoted: null })
  })

  it('reads Windows line endings', () => {
    const text = 'Ok.\r\n\r\nOn Mon, 30 Nov 2026 at 10:12, URP wrote:\r\n> Testo\r\n'
    expect(splitQuotedReply(text).reply).toBe('Ok.')
  })
})
