import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { IoClient, IoError, parseRetryAfter } from '../src/notifications/io.client.ts'
import {
  fitIoContent,
  IO_MARKDOWN_MAX,
  IO_MARKDOWN_MIN,
  IO_SUBJECT_MAX,
  IO_SUBJECT_MIN,
  ioContentValid,
  renderTemplate,
} from '../src/notifications/notification.templates.ts'
import { type FakeIo, startFakeIo } from './io/fake-io.ts'

const URL = 'https://filo.example/stato/0123456789abcdef0123456789abcdef'

describe('templates', () => {
  it('escapes what the citizen wrote for HTML and Markdown, and leaves text as it is', () => {
    const vars = { subject: '<b>Buca</b> *grande* & [link](x)' }
    expect(renderTemplate('<p>{{subject}}</p>', vars, 'html')).toBe(
      '<p>&lt;b&gt;Buca&lt;/b&gt; *grande* &amp; [link](x)</p>',
    )
    expect(renderTemplate('**{{subject}}**', vars, 'markdown')).toBe(
      '**\\<b\\>Buca\\</b\\> \\*grande\\* & \\[link\\](x)**',
    )
    expect(renderTemplate('{{ subject }} {{unknown}}.', vars, 'text')).toBe(
      '<b>Buca</b> *grande* & [link](x) .',
    )
  })

  it('fits any rendered content into IO limits, at the edges too', () => {
    const cases: [string, string][] = [
      ['', ''],
      ['Breve', 'x'],
      ['a'.repeat(IO_SUBJECT_MIN), 'b'.repeat(IO_MARKDOWN_MIN)],
      ['a'.repeat(IO_SUBJECT_MAX), 'b'.repeat(IO_MARKDOWN_MAX)],
      [`${'parola '.repeat(40)}`, `${'Un paragrafo. '.repeat(400)}\n\n`.repeat(3)],
      ['a'.repeat(IO_SUBJECT_MAX + 1), 'b'.repeat(IO_MARKDOWN_MAX + 1)],
      ['Oggetto con emoji 🚧🚧🚧', `Testo\n\n\n\n\n\ncon righe vuote ${'🚧'.repeat(30)}`],
    ]
    for (const [subject, markdown] of cases) {
      for (const lang of ['it', 'en'] as const) {
        const fitted = fitIoContent(subject, markdown, lang, URL)
        expect(ioContentValid(fitted.subject, fitted.markdown), `${subject.slice(0, 20)}/${lang}`).toBe(true)
      }
    }
    const exact = fitIoContent('a'.repeat(IO_SUBJECT_MIN), 'b'.repeat(IO_MARKDOWN_MIN), 'it', URL)
    expect(exact.adjusted).toEqual([])
    const long = fitIoContent('Oggetto', `${'Paragrafo lungo. '.repeat(100)}\n\n`.repeat(10), 'it', URL)
    expect(long.adjusted).toEqual(['subject_padded', 'markdown_trimmed'])
    expect(long.subject).toBe('Oggetto — Comune di Prato')
    expect(long.markdown.endsWith(`Il testo completo è nella pagina della richiesta. ${URL}`)).toBe(true)
    const short = fitIoContent('Richiesta ricevuta', 'Ricevuta.', 'en', URL)
    expect(short.markdown).toBe(
      'Ricevuta.\n\nThis message was sent to you by the Comune di Prato about your request.',
    )
  })
})

describe('IO client', () => {
  let io: FakeIo
  beforeAll(async () => {
    io = await startFakeIo()
  })
  afterAll(() => io.stop())

  it('never sends content outside IO limits, nor a malformed fiscal code: refused before any request', async () => {
    const client = new IoClient({ baseUrl: io.url, apiKey: io.key })
    const before = io.requests.length
    await expect(
      client.submitMessage('RSSMRA85T10A562S', { subject: 'Corto', markdown: 'x'.repeat(100) }),
    ).rejects.toThrow(/outside IO limits/)
    await expect(
      client.submitMessage('RSSMRA85T10A562S', { subject: 'Un oggetto valido', markdown: 'x'.repeat(79) }),
    ).rejects.toThrow(/outside IO limits/)
    await expect(client.getProfile('rssmra85t10a562s')).rejects.toBeInstanceOf(IoError)
    expect(io.requests.length).toBe(before)
  })

  it('speaks the spec: key header, fiscal code in the body, 201 with an id, status read back; 401 without the key', async () => {
    io.profiles.set('RSSMRA85T10A562S', { senderAllowed: true })
    const client = new IoClient({ baseUrl: io.url, apiKey: io.key })
    expect(await client.getProfile('RSSMRA85T10A562S')).toEqual({
      senderAllowed: true,
      preferredLanguages: ['it_IT'],
    })
    const id = await client.submitMessage('RSSMRA85T10A562S', {
      subject: 'Un oggetto valido',
      markdown: 'x'.repeat(IO_MARKDOWN_MIN),
    })
    expect(io.messages.map((m) => m.id)).toContain(id)
    expect(await client.getMessageStatus('RSSMRA85T10A562S', id)).toBe('ACCEPTED')
    const err = await new IoClient({ baseUrl: io.url, apiKey: 'wrong-key-0000' })
      .getProfile('RSSMRA85T10A562S')
      .catch((e: IoError) => e)
    expect(err).toBeInstanceOf(IoError)
    expect((err as IoError).status).toBe(401)
    expect((err as IoError).retryable).toBe(false)
    expect(io.invalid).toEqual([])
  })

  it('classifies answers: 429 with its Retry-After and 5xx retryable, other 4xx final', async () => {
    const client = new IoClient({ baseUrl: io.url, apiKey: io.key })
    const content = { subject: 'Un oggetto valido', markdown: 'y'.repeat(IO_MARKDOWN_MIN) }
    io.messageScript = [{ status: 429, retryAfter: '7' }, { status: 503 }, { status: 403 }]
    const e429 = (await client.submitMessage('RSSMRA85T10A562S', content).catch((e) => e)) as IoError
    expect([e429.status, e429.retryable, e429.retryAfterMs]).toEqual([429, true, 7000])
    const e503 = (await client.submitMessage('RSSMRA85T10A562S', content).catch((e) => e)) as IoError
    expect([e503.status, e503.retryable]).toEqual([503, true])
    const e403 = (await client.submitMessage('RSSMRA85T10A562S', content).catch((e) => e)) as IoError
    expect([e403.status, e403.retryable]).toEqual([403, false])
    expect(parseRetryAfter(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000)
    expect(parseRetryAfter('soon')).toBeNull()
  })
})
