import type { AddressInfo } from 'node:net'
import { type ParsedMail, simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'

/** One message the SMTP peer accepted. */
export interface Received {
  from: string
  to: string[]
  raw: Buffer
  parsed: ParsedMail
}

/**
 * A real SMTP server for tests, built on the `smtp-server` package: it listens on a
 * free local port, takes PLAIN/LOGIN auth with one user, and keeps what it accepts.
 */
export interface SmtpPeer {
  port: number
  received: Received[]
  /** Refuse the next messages with this SMTP reply (e.g. 550 / 451) until cleared. */
  refuseWith: { code: number; message: string } | null
  stop(): Promise<void>
}

export async function startSmtpPeer(auth: { user: string; password: string }): Promise<SmtpPeer> {
  const peer: SmtpPeer = { port: 0, received: [], refuseWith: null, stop: async () => {} }
  const server = new SMTPServer({
    // Plain SMTP on 127.0.0.1 only: nothing here leaves the machine.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(a, _session, callback) {
      if (a.username === auth.user && a.password === auth.password) callback(null, { user: a.username })
      else callback(new Error('Invalid username or password'))
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        if (peer.refuseWith) {
          const err = Object.assign(new Error(peer.refuseWith.message), {
            responseCode: peer.refuseWith.code,
          })
          callback(err)
          return
        }
        const raw = Buffer.concat(chunks)
        simpleParser(raw).then(
          (parsed) => {
            peer.received.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              raw,
              parsed,
            })
            callback()
          },
          (err: Error) => callback(err),
        )
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  peer.port = (server.server.address() as AddressInfo).port
  peer.stop = () => new Promise<void>((resolve) => server.close(() => resolve()))
  return peer
}
