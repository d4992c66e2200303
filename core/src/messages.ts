/**
 * Loads every module's messages into the catalog. Imported once by each entry
 * point's dependencies (deps.ts): a module with user-facing errors adds its line here.
 */
import './admin/admin.messages.ts'
import './assignment/assignment.messages.ts'
import './attachments/attachment.messages.ts'
import './cases/case.messages.ts'
import './channels/email/mail.messages.ts'
import './channels/field/field.messages.ts'
import './channels/open311/open311.messages.ts'
import './channels/phone/call.messages.ts'
import './channels/web/public.messages.ts'
import './contacts/contact.messages.ts'
import './iam/iam.messages.ts'
import './ingest/ingest.messages.ts'
import './routing/rule.messages.ts'
import './sla/calendar.messages.ts'
