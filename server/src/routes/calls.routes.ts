import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  BlockedNumberView,
  CALL_SORTS,
  CallCaseBody,
  CallCaseResult,
  CallFilter,
  type CallSort,
  CallView,
  CreateBlockedNumberBody,
  CreateCtiTokenBody,
  CtiTokenCreated,
  CtiTokenView,
  type Deps,
  Wallboard,
} from '@filo/core'
import Type from 'typebox'
import { actorOf, requireRole } from '../http/auth.ts'
import { languageOf } from '../http/errors.ts'
import { ListQuerystring, parseListQuery, sendList } from '../http/list-query.ts'

const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })
const IdParams = Type.Object({ id: Id })
const Err = { $ref: 'ErrorBody' } as const

/**
 * The phone channel for staff: the call log, "new case from this call", the
 * wallboard, and (admins) the PBX tokens and the block list. Permissions are the
 * core services'; the guards here only answer early.
 */
export const callRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const { calls, cti } = deps.services
  const admins = requireRole('admin')

  app.get(
    '/calls',
    {
      schema: {
        tags: ['telephony'],
        summary:
          'The call log, newest first (the call centre sees every call, others the calls they answered)',
        description: `Sort by one of ${CALL_SORTS.join(', ')}. Filter keys: id, direction, state, outcome, userId (operator), contactId, caseId, queueId, from and to (start time), q (a phone number).`,
        querystring: ListQuerystring,
        response: { 200: Type.Array(CallView), 400: Err, 401: Err },
      },
    },
    async (req, reply) => {
      const query = parseListQuery<CallFilter, CallSort>(req.query, {
        filter: CallFilter,
        sorts: CALL_SORTS,
        defaultSort: 'startedAt',
        defaultOrder: 'desc',
        lang: languageOf(req),
      })
      return sendList(reply, 'calls', query.offset, await calls.list(actorOf(req), query))
    },
  )

  app.get(
    '/calls/:id',
    {
      schema: {
        tags: ['telephony'],
        summary: 'One call: lifecycle, durations, operator, caller recognition, linked contact and case',
        params: IdParams,
        response: { 200: CallView, 401: Err, 404: Err },
      },
    },
    async (req) => calls.get(actorOf(req), req.params.id),
  )

  app.post(
    '/calls/:id/case',
    {
      schema: {
        tags: ['telephony'],
        summary: 'New case from this call: a phone case for the caller, linked to the call (idempotent)',
        description:
          'Every field is optional and prefilled from the call (subject "Chiamata da …", the recognised contact). 201 with the new case; 200 with the case the call already has.',
        params: IdParams,
        body: CallCaseBody,
        response: {
          200: CallCaseResult,
          201: CallCaseResult,
          400: Err,
          401: Err,
          403: Err,
          404: Err,
          409: Err,
        },
      },
    },
    async (req, reply) => {
      const result = await calls.createCase(actorOf(req), req.params.id, req.body)
      return reply.status(result.created ? 201 : 200).send(result)
    },
  )

  app.get(
    '/wallboard',
    {
      schema: {
        tags: ['telephony'],
        summary:
          'Wallboard: calls waiting and the longest wait, cases per queue, SLAs at risk, agents (call centre)',
        response: { 200: Wallboard, 401: Err, 403: Err },
      },
    },
    async (req) => calls.wallboard(actorOf(req)),
  )

  app.get(
    '/cti-tokens',
    {
      preValidation: admins,
      schema: {
        tags: ['telephony'],
        summary: 'PBX tokens of the CTI webhook, without their secrets (admin)',
        response: { 200: Type.Array(CtiTokenView), 401: Err, 403: Err },
      },
    },
    async (req) => cti.listTokens(actorOf(req)),
  )

  app.post(
    '/cti-tokens',
    {
      preValidation: admins,
      schema: {
        tags: ['telephony'],
        summary: 'Create a PBX token: the secret is in this answer only (admin)',
        body: CreateCtiTokenBody,
        response: { 201: CtiTokenCreated, 400: Err, 401: Err, 403: Err },
      },
    },
    async (req, reply) => reply.status(201).send(await cti.createToken(actorOf(req), req.body)),
  )

  app.delete(
    '/cti-tokens/:id',
    {
      preValidation: admins,
      schema: {
        tags: ['telephony'],
        summary: 'Revoke a PBX token: its webhook answers 401 from now on; the token stays listed (admin)',
        params: IdParams,
        response: { 200: CtiTokenView, 401: Err, 403: Err, 404: Err },
      },
    },
    async (req) => cti.revokeToken(actorOf(req), req.params.id),
  )

  app.get(
    '/cti-blocked-numbers',
    {
      schema: {
        tags: ['telephony'],
        summary: 'Callers the PBX is told to reject (admin, supervisor)',
        response: { 200: Type.Array(BlockedNumberView), 401: Err, 403: Err },
      },
    },
    async (req) => cti.listBlocked(actorOf(req)),
  )

  app.post(
    '/cti-blocked-numbers',
    {
      preValidation: admins,
      schema: {
        tags: ['telephony'],
        summary: 'Block a caller: their newCall is answered {"action":"reject","reason":"busy"} (admin)',
        description: 'Any spelling of the number (stored in E.164), or "anonymous" for callers without one.',
        body: CreateBlockedNumberBody,
        response: { 201: BlockedNumberView, 400: Err, 401: Err, 403: Err, 409: Err },
      },
    },
    async (req, reply) => reply.status(201).send(await cti.block(actorOf(req), req.body)),
  )

  app.delete(
    '/cti-blocked-numbers/:id',
    {
      preValidation: admins,
      schema: {
        tags: ['telephony'],
        summary: 'Take a number off the block list (admin)',
        params: IdParams,
        response: { 204: Type.Null(), 401: Err, 403: Err, 404: Err },
      },
    },
    async (req, reply) => {
      await cti.unblock(actorOf(req), req.params.id)
      return reply.status(204).send(null)
    },
  )
}
