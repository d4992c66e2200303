import type { HandlerRegistry } from '../job-handler.ts'
import { onCaseCreated } from './case-events.handlers.ts'

export const handlers: HandlerRegistry = {
  'case.created': onCaseCreated,
}
