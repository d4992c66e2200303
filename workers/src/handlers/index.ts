import type { HandlerRegistry } from '../job-handler.ts'
import { onCaseCreated, onCaseRoute } from './case-events.handlers.ts'

export const handlers: HandlerRegistry = {
  'case.created': onCaseCreated,
  'case.route': onCaseRoute,
}
