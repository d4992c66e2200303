import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A fake IO Services API v1 built from its OpenAPI document (pagopa/io-functions-services,
 * openapi/index.yaml, and the io-functions-commons definitions it references). Every
 * request is checked against the published rules — the `Ocp-Apim-Subscription-Key`
 * header, FiscalCode's pattern, NewMessage's required fields, MessageSubject 10–120
 * and MessageBodyMarkdown 80–10000 characters, TimeToLiveSeconds 3600–604800 — and a
 * request that breaks them is answered 400 (ProblemJson) and counted in `invalid`.
 */
export const FISCAL_CODE =
  /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/

export interface FakeMessage {
  id: string
  fiscalCode: string
  subject: string
  markdown: string
  status: 'ACCEPTED' | 'THROTTLED' | 'FAILED' | 'PROCESSED' | 'REJECTED'
}

/** What the next POST /messages (or /profiles) answers instead of success. */
export interface Scripted {
  status: 429 | 500 | 503 | 403 | 404 | 400
  retryAfter?: string
  /** Only for messages to this fiscal code (else for the next message to anyone). */
  fiscalCode?: string
}

export interface FakeIo {
  url: string
  key: string
  /** Profiles by fiscal code; absent ones answer 404. Preferred languages default to it_IT. */
  profiles: Map<string, { senderAllowed: boolean; preferredLanguages?: string[] }>
  messages: FakeMessage[]
  /** Answers for the next POST /messages, in order. */
  messageScript: Scripted[]
  /** Every request, with the fiscal code it named (body or path). */
  requests: { method: string; path: string; at: number; fiscalCode?: string }[]
  invalid: { path: string; problem: string }[]
  /** Called after a message is stored, before the 201 is written. */
  onAccepted: ((m: FakeMessage) => Promise<void>) | null
  stop(): Promise<void>
}

const ulid = () => randomBytes(13).toString('hex').toUpperCase().slice(0, 26)

function problem(res: ServerResponse, status: number, title: string, detail: string) {
  res.writeHead(status, { 'content-type': 'application/problem+json' })
  res.end(JSON.stringify({ type: 'https://example.com/problem/constraint-violation', title, status, detail }))
}

async function body(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  const text = Buffer.concat(chunks).toString('utf8')
  if (!text) return undefined
  return JSON.parse(text)
}

export async function startFakeIo(key = `io-key-${randomBytes(6).toString('hex')}`): Promise<FakeIo> {
  const io: FakeIo = {
    url: '',
    key,
    profiles: new Map(),
    messages: [],
    messageScript: [],
    requests: [],
    invalid: [],
    onAccepted: null,
    stop: async () => {},
  }
  const bad = (res: ServerResponse, path: string, what: string) => {
    io.invalid.push({ path, problem: what })
    problem(res, 400, 'Invalid payload', what)
  }
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake')
      const path = url.pathname.replace(/^\/api\/v1/, '')
      const entry: FakeIo['requests'][number] = { method: req.method ?? '', path, at: Date.now() }
      io.requests.push(entry)
      if (req.headers['ocp-apim-subscription-key'] !== io.key) {
        res.writeHead(401).end()
        return
      }
      let payload: unknown
      try {
        payload = await body(req)
      } catch {
        bad(res, path, 'body is not JSON')
        return
      }
      if (req.method === 'POST' && path === '/profiles') {
        const fc = (payload as { fiscal_code?: unknown } | undefined)?.fiscal_code
        if (typeof fc === 'string') entry.fiscalCode = fc
        if (typeof fc !== 'string' || !FISCAL_CODE.test(fc))
          return bad(res, path, 'fiscal_code does not match FiscalCode')
        const profile = io.profiles.get(fc)
        if (!profile)
          return problem(res, 404, 'Profile not found', 'No user found for the provided fiscal code')
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(
          JSON.stringify({
            sender_allowed: profile.senderAllowed,
            preferred_languages: profile.preferredLanguages ?? ['it_IT'],
          }),
        )
        return
      }
      if (req.method === 'POST' && path === '/messages') {
        const m = payload as
          | {
              fiscal_code?: unknown
              time_to_live?: unknown
              content?: { subject?: unknown; markdown?: unknown }
            }
          | undefined
        if (!m || typeof m !== 'object') return bad(res, path, 'NewMessage is required')
        if (typeof m.fiscal_code === 'string') entry.fiscalCode = m.fiscal_code
        if (typeof m.fiscal_code !== 'string' || !FISCAL_CODE.test(m.fiscal_code))
          return bad(res, path, 'fiscal_code does not match FiscalCode')
        if (m.time_to_live !== undefined) {
          const ttl = m.time_to_live
          if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 3600 || ttl > 604800)
            return bad(res, path, 'time_to_live out of 3600..604800')
        }
        const content = m.content
        if (!content || typeof content !== 'object') return bad(res, path, 'content is required')
        if (
          typeof content.subject !== 'string' ||
          content.subject.length < 10 ||
          content.subject.length > 120
        )
          return bad(res, path, 'content.subject must be 10 to 120 characters')
        if (
          typeof content.markdown !== 'string' ||
          content.markdown.length < 80 ||
          content.markdown.length > 10000
        )
          return bad(res, path, 'content.markdown must be 80 to 10000 characters')
        const at = io.messageScript.findIndex((x) => !x.fiscalCode || x.fiscalCode === m.fiscal_code)
        const scripted = at >= 0 ? io.messageScript.splice(at, 1)[0] : undefined
        if (scripted) {
          if (scripted.retryAfter) res.setHeader('retry-after', scripted.retryAfter)
          if (scripted.status === 429) {
            res.writeHead(429).end()
            return
          }
          return problem(res, scripted.status, 'Scripted failure', `fake IO answers ${scripted.status}`)
        }
        const stored: FakeMessage = {
          id: ulid(),
          fiscalCode: m.fiscal_code,
          subject: content.subject,
          markdown: content.markdown,
          status: 'ACCEPTED',
        }
        io.messages.push(stored)
        await io.onAccepted?.(stored)
        res.writeHead(201, {
          'content-type': 'application/json',
          location: `/api/v1/messages/${stored.fiscalCode}/${stored.id}`,
        })
        res.end(JSON.stringify({ id: stored.id }))
        return
      }
      const get = /^\/messages\/([^/]+)\/([^/]+)$/.exec(path)
      if (req.method === 'GET' && get) {
        const [, fc = '', id = ''] = get
        if (!FISCAL_CODE.test(decodeURIComponent(fc)))
          return bad(res, path, 'fiscal_code does not match FiscalCode')
        const found = io.messages.find(
          (x) => x.id === decodeURIComponent(id) && x.fiscalCode === decodeURIComponent(fc),
        )
        if (!found) return problem(res, 404, 'Message not found', 'No message found for the provided ID')
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(
          JSON.stringify({
            message: {
              id: found.id,
              fiscal_code: found.fiscalCode,
              time_to_live: 3600,
              content: { subject: found.subject, markdown: found.markdown },
              sender_service_id: 'FILO-PRATO',
            },
            notification: { email: 'SENT' },
            status: found.status,
          }),
        )
        return
      }
      problem(res, 404, 'Not found', `${req.method} ${path}`)
    })().catch((err: Error) => {
      if (!res.headersSent) problem(res, 500, 'Fake IO error', err.message)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  io.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`
  io.stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return io
}
