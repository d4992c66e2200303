/** Users, offices, categories and the audit log: administrators only (the API says the same). */
export const canAdminister = (role: unknown): boolean => role === 'admin'

/** Queues: administrators and supervisors. */
export const canManageQueues = (role: unknown): boolean => role === 'admin' || role === 'supervisor'

/** Routing rules: administrators edit them, supervisors read them and use the rule tester. */
export const canReadRoutingRules = (role: unknown): boolean => role === 'admin' || role === 'supervisor'

/** The dashboard and bulk reassignment: supervisors (whose home page the dashboard is) and administrators. */
export const canSeeDashboard = (role: unknown): boolean => role === 'admin' || role === 'supervisor'

/** Canned replies: supervisors and administrators write them; everyone who answers citizens uses them. */
export const canEditCannedReplies = (role: unknown): boolean => role === 'admin' || role === 'supervisor'

/** SLA policies and business calendars: administrators edit them, supervisors read them. */
export const canReadSla = (role: unknown): boolean => role === 'admin' || role === 'supervisor'
