import { type DestinationStream, type Logger, pino } from 'pino'
import type { Config } from './config.ts'

export type { Logger }

/** Secrets that travel in a URL path (the CTI webhook's PBX token), masked wherever a URL is logged. */
export function redactUrl(url: string): string {
  return url.replace(/(\/api\/v1\/cti\/)[^/?#]+/, '$1[redacted]')
}

interface LoggedRequest {
  method?: string
  url?: string
  host?: string
  ip?: string
  socket?: { remotePort?: number }
}

/** JSON logs on stdout (or `destination`); `name` tells the API from the workers. Secrets are redacted. */
export function createLogger(
  config: Pick<Config, 'logLevel'>,
  name: string,
  destination?: DestinationStream,
): Logger {
  return pino(
    {
      name,
      level: config.logLevel,
      redact: [
        'req.headers.cookie',
        'req.headers.authorization',
        'password',
        '*.password',
        'res.headers["set-cookie"]',
      ],
      serializers: {
        // Fastify's own request serializer, with the URL's secrets masked.
        req: (req: LoggedRequest) => ({
          method: req.method,
          url: req.url === undefined ? undefined : redactUrl(req.url),
          host: req.host,
          remoteAddress: req.ip,
          remotePort: req.socket?.remotePort,
        }),
      },
    },
    destination,
  )
}
