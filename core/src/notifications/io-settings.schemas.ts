import Type, { type Static } from 'typebox'
import { IO_FISCAL_CODE } from './io.client.ts'
import { NOTIFICATION_CHANNELS, NOTIFICATION_STATES } from './notification.schemas.ts'

const Seconds = Type.Integer({ minimum: 0 })
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])

/** How many notifications of a channel are in a state, created in the last 24 hours and 7 days. */
export const DeliveryCount = Type.Object({
  channel: Type.Enum(NOTIFICATION_CHANNELS),
  state: Type.Enum(NOTIFICATION_STATES),
  lastDay: Type.Integer({ minimum: 0 }),
  lastWeek: Type.Integer({ minimum: 0 }),
})
export type DeliveryCount = Static<typeof DeliveryCount>

/**
 * How citizens are notified, as the deployment's environment configures it: the IO
 * connection (its key only by its last four characters), the email sender (its URL
 * without the password), the timings, and what was delivered lately.
 */
export const IoSettingsView = Type.Object({
  io: Type.Object({
    configured: Type.Boolean({ description: 'IO_API_KEY is set: citizens with IO hear there first' }),
    apiUrl: Type.String(),
    keyHint: Nullable(Type.String({ description: 'The last 4 characters of IO_API_KEY' })),
    profileCacheSeconds: Seconds,
    statusPollSeconds: Seconds,
  }),
  email: Type.Object({
    smtpUrl: Nullable(Type.String({ description: 'SMTP_URL with its password hidden' })),
    from: Type.String(),
  }),
  delivery: Type.Object({
    digestSeconds: Seconds,
    maxAttempts: Type.Integer({ minimum: 1 }),
    retryBaseMs: Type.Integer({ minimum: 0 }),
  }),
  counts: Type.Array(DeliveryCount),
})
export type IoSettingsView = Static<typeof IoSettingsView>

export const IoCheckBody = Type.Object(
  {
    fiscalCode: Type.String({
      pattern: IO_FISCAL_CODE.source,
      description: 'A codice fiscale in capitals, as IO accepts it',
    }),
  },
  { additionalProperties: false },
)
export type IoCheckBody = Static<typeof IoCheckBody>

/** What IO said about a citizen: a profile (allowed or not), none, or a refusal of this service. */
export const IO_CHECK_OUTCOMES = ['sender_allowed', 'sender_not_allowed', 'no_profile', 'forbidden'] as const
export type IoCheckOutcome = (typeof IO_CHECK_OUTCOMES)[number]

export const IoCheckView = Type.Object({
  fiscalCode: Type.String(),
  outcome: Type.Enum(IO_CHECK_OUTCOMES),
  senderAllowed: Type.Boolean(),
  preferredLanguages: Type.Array(Type.String(), { description: "IO's PreferredLanguage values, e.g. it_IT" }),
  message: Type.String({ description: 'The outcome in the reader’s language' }),
})
export type IoCheckView = Static<typeof IoCheckView>
