import { type Logger, pino } from 'pino'
import type { Config } from './config.ts'

export type { Logger }

/** JSON logs on stdout; `name` tells the API from the workers. Secrets are redacted. */
export function createLogger(config: Pick<Config, 'logLevel'>, name: string): Logger {
  return pino({
    name,
    level: config.logLevel,
    redact: [
      'req.headers.cookie',
      'req.headers.authorization',
      'password',
      '*.password',
      'res.headers["set-cookie"]',
    ],
  })
}
