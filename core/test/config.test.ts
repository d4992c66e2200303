import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig, redact } from '../src/config.ts'

describe('configuration', () => {
  it('defaults to the local services outside production', () => {
    const config = loadConfig({})
    expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/filo')
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379')
    expect(config.port).toBe(3000)
    expect(config.caseNumberPrefix).toBe('PRA')
  })

  it('names every missing variable in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrowError(ConfigError)
    try {
      loadConfig({ NODE_ENV: 'production' })
    } catch (err) {
      const { problems } = err as ConfigError
      expect(problems).toEqual([
        'PUBLIC_URL is required but not set',
        'DATABASE_URL is required but not set',
        'REDIS_URL is required but not set',
        'MAIL_CREDENTIALS_KEY is required but not set',
        'MAIL_SIGNING_KEY is required but not set',
      ])
    }
  })

  it('names each malformed variable with what it expected and what it got', () => {
    const attempt = () =>
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://db/filo',
        REDIS_URL: 'not a url',
        LOG_LEVEL: 'loud',
        SESSION_TTL_HOURS: '0',
      })
    expect(attempt).toThrowError(/PORT must be a whole number from 1 to 65535 \(got "eighty"\)/)
    expect(attempt).toThrowError(/DATABASE_URL must be a postgres: or postgresql: URL/)
    expect(attempt).toThrowError(/REDIS_URL must be a URL/)
    expect(attempt).toThrowError(
      /LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent \(got "loud"\)/,
    )
    expect(attempt).toThrowError(/SESSION_TTL_HOURS must be a whole number from 1 to 720/)
  })

  it('refuses mail secrets too short to be secret', () => {
    expect(() => loadConfig({ MAIL_CREDENTIALS_KEY: 'short' })).toThrowError(
      /MAIL_CREDENTIALS_KEY must be at least 32 characters long/,
    )
  })

  it('never prints a password from a connection URL', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://filo:s3cret@db/filo' })).toThrowError(
      /mysql:\/\/filo:\*\*\*@db\/filo/,
    )
    expect(() => loadConfig({ DATABASE_URL: 'mysql://filo:s3cret@db/filo' })).not.toThrowError(/s3cret/)
    // An @ in the password: all of it is hidden, not only what comes before the @.
    expect(redact('smtp://filo:p@ss-word@smtp.example.it:587')).toBe('smtp://filo:***@smtp.example.it:587')
    expect(redact('smtp://smtp.example.it:25')).toBe('smtp://smtp.example.it:25')
  })

  it('marks the session cookie Secure when Filo is served over https', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://filo.comune.prato.it' }).cookieSecure).toBe(true)
    expect(loadConfig({ PUBLIC_URL: 'http://localhost:3000' }).cookieSecure).toBe(false)
  })
})
