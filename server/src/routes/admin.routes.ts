import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  type Actor,
  CategoryTreeNode,
  CategoryTreeQuery,
  CategoryView,
  CreateCategoryBody,
  CreateOfficeBody,
  CreateQueueBody,
  CreateUserBody,
  type Deps,
  OfficeView,
  QueueView,
  type Role,
  UpdateCategoryBody,
  UpdateOfficeBody,
  UpdateQueueBody,
  UpdateUserBody,
  USER_SORTS,
  UserFilter,
  UserView,
} from '@filo/core'
import Type, { type Static, type TObject } from 'typebox'
import { actorOf, requireRole } from '../http/auth.ts'
import { languageOf } from '../http/errors.ts'
import { ListQuerystring, parseListQuery, sendList } from '../http/list-query.ts'
import { versionFrom } from './cases.routes.ts'

const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })
const IdParams = Type.Object({ id: Id })
const Err = { $ref: 'ErrorBody' } as const
const IfMatch = Type.Object({ 'if-match': Type.Optional(Type.String({ maxLength: 40 })) })

interface Resource<V extends TObject, C extends TObject, U extends TObject> {
  /** URL segment and OpenAPI tag. */
  path: string
  /** The singular, for summaries. */
  noun: string
  view: V
  createBody: C
  updateBody: U
  /** Who may write; the core service checks the same again. */
  writers: Role[]
  get(actor: Actor, id: number): Promise<Static<V>>
  create(actor: Actor, body: Static<C>): Promise<Static<V>>
  update(actor: Actor, id: number, body: Static<U> & { version?: number }): Promise<Static<V>>
}

/**
 * Administration of the organisation: staff users, offices, the category tree and
 * queues. Lists of offices, categories and queues are in reference.routes.ts; every
 * write is audited by the core service in the transaction of the change.
 */
export const adminRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const { users, offices, categories, queues } = deps.services.admin

  /** GET /:id, POST and PATCH /:id (If-Match or body.version) for one resource. */
  function writable<V extends TObject, C extends TObject, U extends TObject>(r: Resource<V, C, U>) {
    const who = r.writers.join(', ')
    app.get(
      `/${r.path}/:id`,
      {
        schema: {
          tags: [r.path],
          summary: `One ${r.noun}`,
          params: IdParams,
          response: { 200: r.view, 404: Err },
        },
      },
      async (req, reply) => {
        const view = await r.get(actorOf(req), req.params.id)
        if ('version' in view && typeof view.version === 'number') reply.header('etag', `"${view.version}"`)
        return view
      },
    )
    app.post(
      `/${r.path}`,
      {
        preValidation: requireRole(...r.writers),
        schema: {
          tags: [r.path],
          summary: `Create a ${r.noun} (${who})`,
          body: r.createBody,
          response: { 201: r.view, 400: Err, 403: Err, 409: Err },
        },
      },
      async (req, reply) => {
        // The schema is generic here, so the type provider cannot name the body; Ajv has checked it against createBody.
        const view = await r.create(actorOf(req), req.body as Static<C>)
        reply.status(201)
        return view
      },
    )
    app.patch(
      `/${r.path}/:id`,
      {
        preValidation: requireRole(...r.writers),
        schema: {
          tags: [r.path],
          summary: `Change a ${r.noun} (${who}; optimistic concurrency: body.version or If-Match)`,
          description:
            'Only the fields sent change. A stale version answers 409 with the current state in error.details.current.',
          params: IdParams,
          headers: IfMatch,
          body: r.updateBody,
          response: { 200: r.view, 400: Err, 403: Err, 404: Err, 409: Err },
        },
      },
      async (req, reply) => {
        const body = req.body as Static<U> & { version?: number }
        const view = await r.update(actorOf(req), req.params.id, {
          ...body,
          version: versionFrom(body, req.headers['if-match']),
        })
        if ('version' in view && typeof view.version === 'number') reply.header('etag', `"${view.version}"`)
        return view
      },
    )
  }

  app.get(
    '/users',
    {
      schema: {
        tags: ['users'],
        summary: 'List staff users (everyone signed in; only admins see email, skills, capacity, version)',
        description: `Sort by one of ${USER_SORTS.join(', ')} (email: admins only). Filter keys: ${Object.keys(UserFilter.properties).join(', ')}.`,
        querystring: ListQuerystring,
        response: { 200: Type.Array(UserView), 400: Err, 403: Err },
      },
    },
    async (req, reply) => {
      const query = parseListQuery<UserFilter, (typeof USER_SORTS)[number]>(req.query, {
        filter: UserFilter,
        sorts: USER_SORTS,
        defaultSort: 'fullName',
        defaultOrder: 'asc',
        lang: languageOf(req),
      })
      return sendList(reply, 'users', query.offset, await users.list(actorOf(req), query))
    },
  )

  writable({
    path: 'users',
    noun: 'staff user',
    view: UserView,
    createBody: CreateUserBody,
    updateBody: UpdateUserBody,
    writers: ['admin'],
    ...users,
  })
  writable({
    path: 'offices',
    noun: 'office',
    view: OfficeView,
    createBody: CreateOfficeBody,
    updateBody: UpdateOfficeBody,
    writers: ['admin'],
    ...offices,
  })
  writable({
    path: 'queues',
    noun: 'queue',
    view: QueueView,
    createBody: CreateQueueBody,
    updateBody: UpdateQueueBody,
    writers: ['admin', 'supervisor'],
    ...queues,
  })

  // A static segment: the router prefers it to /categories/:id whatever the order of registration.
  app.get(
    '/categories/tree',
    {
      schema: {
        tags: ['categories'],
        summary: 'The category tree, nested, with Italian and English names and the extra questions',
        description:
          'Active categories only unless ?all=true; siblings ordered by sortOrder, then Italian name.',
        querystring: CategoryTreeQuery,
        response: { 200: Type.Array(CategoryTreeNode), 400: Err },
      },
    },
    async (req) => categories.tree(actorOf(req), { all: req.query.all }),
  )
  writable({
    path: 'categories',
    noun: 'category',
    view: CategoryView,
    createBody: CreateCategoryBody,
    updateBody: UpdateCategoryBody,
    writers: ['admin'],
    get: categories.get,
    create: categories.create,
    update: categories.update,
  })
}
