import { randomUUID } from 'node:crypto'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'

/** How the fake PBX posts: JSON, a urlencoded form (user[]=…), or multipart like `curl --form`. */
export type PbxEncoding = 'json' | 'form' | 'multipart'

export type PbxFields = Record<string, string | string[] | undefined>

/** What the PBX sees of an answer, over inject or a real socket alike. */
export interface PbxResponse {
  statusCode: number
  body: string
  headers: Record<string, string | string[] | number | undefined>
  json: LightMyRequestResponse['json']
}

/** Encodes a CTI event the way a PBX script written for Zammad's generic CTI API does. */
export function encodeCtiBody(
  fields: PbxFields,
  encoding: PbxEncoding,
): { payload: string; contentType: string } {
  const entries = Object.entries(fields).filter((e): e is [string, string | string[]] => e[1] !== undefined)
  if (encoding === 'json')
    return { payload: JSON.stringify(Object.fromEntries(entries)), contentType: 'application/json' }
  const pairs = entries.flatMap(([k, v]) =>
    Array.isArray(v) ? v.map((x) => [`${k}[]`, x] as const) : [[k, v] as const],
  )
  if (encoding === 'form') {
    return {
      payload: pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'),
      contentType: 'application/x-www-form-urlencoded',
    }
  }
  const boundary = `----pbx${randomUUID().replaceAll('-', '')}`
  const parts = pairs.map(
    ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
  )
  return {
    payload: `${parts.join('')}--${boundary}--\r\n`,
    contentType: `multipart/form-data; boundary=${boundary}`,
  }
}

/**
 * A PBX built from Zammad's generic CTI API documentation: it posts newCall, answer
 * and hangup events to the real webhook over HTTP (Fastify's inject: routing, body
 * parsers, hooks and validation all run), one call at a time or several interleaved.
 */
export class FakePbx {
  constructor(
    private readonly app: FastifyInstance,
    public token: string,
    private readonly opts: {
      encoding?: PbxEncoding
      ip?: string
      headers?: Record<string, string>
      /** Post over a real socket to a listening server (http://127.0.0.1:port) instead of inject. */
      baseUrl?: string
    } = {},
  ) {}

  /** Posts one event as is; answers the raw response. */
  send(
    fields: PbxFields,
    encoding: PbxEncoding = this.opts.encoding ?? 'json',
  ): Promise<LightMyRequestResponse> {
    const body = encodeCtiBody(fields, encoding)
    return this.app.inject({
      method: 'POST',
      url: `/api/v1/cti/${this.token}`,
      payload: body.payload,
      headers: { 'content-type': body.contentType, ...this.opts.headers },
      remoteAddress: this.opts.ip ?? '10.0.0.1',
    })
  }

  /** A call between `from` and `to`; each step posts its event and expects a 200. */
  call(from: string, to: string, opts: { direction?: 'in' | 'out'; queue?: string; callId?: string } = {}) {
    const base = {
      from,
      to,
      direction: opts.direction ?? 'in',
      callId: opts.callId ?? randomUUID(),
    }
    const step = async (fields: PbxFields) => {
      const res = await this.send({ ...base, ...fields })
      if (res.statusCode !== 200)
        throw new Error(`PBX ${String(fields.event)}: ${res.statusCode} ${res.body}`)
      return res.json() as Record<string, unknown>
    }
    return {
      callId: base.callId,
      ring: (user?: string | string[]) => step({ event: 'newCall', user, queue: opts.queue }),
      answer: (answeringNumber?: string, user?: string | string[]) =>
        step({ event: 'answer', answeringNumber, user, queue: opts.queue }),
      hangup: (cause: string, answeringNumber?: string) =>
        step({ event: 'hangup', cause, answeringNumber, queue: opts.queue }),
    }
  }
}
