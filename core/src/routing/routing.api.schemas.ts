import Type, { type Static } from 'typebox'
import { ChannelSchema } from '../cases/case.schemas.ts'
import { LANGUAGES } from '../i18n.ts'
import { RoutingActions, RoutingConditions } from './rule.schemas.ts'

const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })
const Position = Type.Integer({ minimum: 0, maximum: 1_000_000 })
// Conditions and actions are checked by parseRoutingRule, whose messages name the field
// and say what to do: the HTTP schema only asks for objects.
const LooseObject = (description: string) => Type.Object({}, { additionalProperties: true, description })

/** A routing rule as the API shows it. */
export const RoutingRuleView = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  /** Lower runs first; equal positions run by id. */
  position: Type.Integer(),
  enabled: Type.Boolean(),
  conditions: RoutingConditions,
  actions: RoutingActions,
  version: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
})
export type RoutingRuleView = Static<typeof RoutingRuleView>

export const CreateRoutingRuleBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120 }),
    position: Type.Optional(Position),
    enabled: Type.Optional(Type.Boolean()),
    conditions: Type.Optional(LooseObject('see RoutingConditions; every condition given must hold')),
    actions: LooseObject('see RoutingActions; at least one action'),
  },
  { additionalProperties: false },
)
export type CreateRoutingRuleBody = Static<typeof CreateRoutingRuleBody>

export const UpdateRoutingRuleBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
    position: Type.Optional(Position),
    enabled: Type.Optional(Type.Boolean()),
    conditions: Type.Optional(LooseObject('replaces the conditions as a whole')),
    actions: Type.Optional(LooseObject('replaces the actions as a whole')),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
)
export type UpdateRoutingRuleBody = Static<typeof UpdateRoutingRuleBody>

export const RoutingRuleFilter = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean()),
    q: Type.Optional(Type.String({ maxLength: 120 })),
  },
  { additionalProperties: false },
)
export type RoutingRuleFilter = Static<typeof RoutingRuleFilter>
export const ROUTING_RULE_SORTS = ['position', 'name', 'id', 'updatedAt'] as const

/** A sample message for the rule tester. */
export const RoutingSample = Type.Object(
  {
    channel: ChannelSchema,
    subject: Type.String({ maxLength: 300 }),
    text: Type.String({ maxLength: 20_000 }),
    categoryId: Type.Optional(Type.Union([Id, Type.Null()])),
    contact: Type.Optional(
      Type.Object(
        {
          fiscalCode: Type.Optional(Type.Union([Type.String({ maxLength: 16 }), Type.Null()])),
          isOrganisation: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
          language: Type.Optional(Type.Union([Type.Enum(LANGUAGES), Type.Null()])),
        },
        { additionalProperties: false },
      ),
    ),
    location: Type.Optional(
      Type.Object(
        {
          latitude: Type.Number({ minimum: -90, maximum: 90 }),
          longitude: Type.Number({ minimum: -180, maximum: 180 }),
        },
        { additionalProperties: false },
      ),
    ),
    /** When the message arrived; now if absent. */
    receivedAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
)
export type RoutingSample = Static<typeof RoutingSample>

const Reason = Type.Object({
  code: Type.String(),
  params: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])),
})

/** What the tester answers: the rule that fires (null: the default), its actions and why. */
export const RoutingTestResult = Type.Object({
  rule: Type.Union([Type.Object({ id: Type.Integer(), name: Type.String() }), Type.Null()]),
  actions: RoutingActions,
  explanation: Type.Array(Reason),
  rejected: Type.Array(Type.Object({ ruleId: Type.Integer(), ruleName: Type.String(), reason: Reason })),
  /** The decision in sentences, in the caller's language: rejected rules first, then why the rule fired. */
  text: Type.Array(Type.String()),
})
export type RoutingTestResult = Static<typeof RoutingTestResult>
