-- Citizen notifications (email and the IO app). PostgreSQL is the truth: what is
-- owed to a citizen (notification_pending), the per-case digest timer, every
-- notification with its delivery state, and the IO profile answers cached.

-- Which triggers notify, per category (no row: every trigger notifies).
create table notification_category_settings (
  category_id  bigint primary key references categories (id) on delete cascade,
  triggers     text[] not null check (triggers <@ array['received', 'taken_in_charge', 'waiting_citizen', 'resolved', 'closed', 'reopened', 'reply']::text[]),
  version      integer not null default 1,
  updated_at   timestamptz not null default now()
);

-- Templates per trigger and language; {{variables}} are filled at send time.
create table notification_templates (
  id             bigserial primary key,
  trigger        text not null check (trigger in ('received', 'taken_in_charge', 'waiting_citizen', 'resolved', 'closed', 'reopened', 'reply', 'digest')),
  language       text not null check (language in ('it', 'en')),
  subject        text not null check (length(subject) between 1 and 200),
  markdown       text not null check (length(markdown) between 1 and 20000),
  email_html     text not null check (length(email_html) between 1 and 50000),
  email_text     text not null check (length(email_text) between 1 and 20000),
  version        integer not null default 1,
  updated_at     timestamptz not null default now(),
  unique (trigger, language)
);

-- Something the citizen must hear about, written in the transaction of the change
-- (the timeline event); digested into one message per burst.
create table notification_pending (
  id           bigserial primary key,
  case_id      bigint not null references cases (id) on delete cascade,
  event_id     bigint not null unique references case_events (id) on delete cascade,
  trigger      text not null,
  data         jsonb not null default '{}',
  created_at   timestamptz not null default now(),
  digested_at  timestamptz
);
create index notification_pending_open_idx on notification_pending (case_id, created_at) where digested_at is null;

-- One row per (case, event, channel): the unique key that makes a notification happen once.
create table notifications (
  id               bigserial primary key,
  case_id          bigint not null references cases (id) on delete cascade,
  event_id         bigint not null references case_events (id) on delete cascade,
  channel          text not null check (channel in ('io', 'email')),
  triggers         text[] not null,
  language         text not null check (language in ('it', 'en')),
  recipient        text not null,
  subject          text not null,
  markdown         text,
  body_text        text,
  body_html        text,
  mailbox_id       bigint references mailboxes (id) on delete set null,
  message_id       text,
  state            text not null default 'queued'
                   check (state in ('queued', 'sending', 'retry', 'sent', 'failed', 'uncertain', 'fallback')),
  attempts         integer not null default 0,
  next_attempt_at  timestamptz not null default now(),
  last_error       text,
  provider_id      text,
  io_status        text check (io_status is null or io_status in ('ACCEPTED', 'THROTTLED', 'FAILED', 'PROCESSED', 'REJECTED')),
  status_checks    integer not null default 0,
  status_check_at  timestamptz,
  choice           jsonb not null default '{}',
  sent_at          timestamptz,
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  unique (case_id, event_id, channel)
);
create index notifications_due_idx on notifications (next_attempt_at) where state in ('queued', 'retry', 'sending');
create index notifications_failed_idx on notifications (updated_at desc) where state in ('failed', 'uncertain');
create index notifications_status_idx on notifications (status_check_at) where status_check_at is not null;
create index notifications_case_idx on notifications (case_id);

-- IO's answer to POST /profiles, kept for IO_PROFILE_CACHE_SECONDS.
create table io_profiles (
  fiscal_code     text primary key,
  http_status     integer not null,
  sender_allowed  boolean not null,
  checked_at      timestamptz not null default now()
);

insert into notification_templates (trigger, language, subject, markdown, email_html, email_text) values
('received', 'it', 'Abbiamo ricevuto la tua richiesta {{number}}',
 E'Gentile {{name}},\n\nabbiamo ricevuto la tua richiesta **{{subject}}**, registrata con il numero **{{number}}**.\n\nPuoi seguirne lo stato qui: {{statusUrl}}\n\nComune di Prato',
 '<p>Gentile {{name}},</p><p>abbiamo ricevuto la tua richiesta <strong>{{subject}}</strong>, registrata con il numero <strong>{{number}}</strong>.</p><p>Puoi seguirne lo stato qui: <a href="{{statusUrl}}">{{statusUrl}}</a></p><p>Comune di Prato</p>',
 E'Gentile {{name}},\n\nabbiamo ricevuto la tua richiesta "{{subject}}", registrata con il numero {{number}}.\n\nPuoi seguirne lo stato qui: {{statusUrl}}\n\nComune di Prato'),
('received', 'en', 'We have received your request {{number}}',
 E'Dear {{name}},\n\nwe have received your request **{{subject}}**, registered as number **{{number}}**.\n\nYou can follow its status here: {{statusUrl}}\n\nComune di Prato',
 '<p>Dear {{name}},</p><p>we have received your request <strong>{{subject}}</strong>, registered as number <strong>{{number}}</strong>.</p><p>You can follow its status here: <a href="{{statusUrl}}">{{statusUrl}}</a></p><p>Comune di Prato</p>',
 E'Dear {{name}},\n\nwe have received your request "{{subject}}", registered as number {{number}}.\n\nYou can follow its status here: {{statusUrl}}\n\nComune di Prato'),
('taken_in_charge', 'it', 'La tua richiesta {{number}} è presa in carico',
 E'Gentile {{name}},\n\nla tua richiesta **{{subject}}** ({{number}}) è stata presa in carico dagli uffici.\n\nStato: {{statusUrl}}',
 '<p>Gentile {{name}},</p><p>la tua richiesta <strong>{{subject}}</strong> ({{number}}) è stata presa in carico dagli uffici.</p><p>Stato: <a href="{{statusUrl}}">{{statusUrl}}</a></p>',
 E'Gentile {{name}},\n\nla tua richiesta "{{subject}}" ({{number}}) è stata presa in carico dagli uffici.\n\nStato: {{statusUrl}}'),
('taken_in_charge', 'en', 'Your request {{number}} is being handled',
 E'Dear {{name}},\n\nyour request **{{subject}}** ({{number}}) is now being handled by our offices.\n\nStatus: {{statusUrl}}',
 '<p>Dear {{name}},</p><p>your request <strong>{{subject}}</strong> ({{number}}) is now being handled by our offices.</p><p>Status: <a href="{{statusUrl}}">{{statusUrl}}</a></p>',
 E'Dear {{name}},\n\nyour request "{{subject}}" ({{number}}) is now being handled by our offices.\n\nStatus: {{statusUrl}}'),
('waiting_citizen', 'it', 'Ci servono informazioni sulla richiesta {{number}}',
 E'Gentile {{name}},\n\nper procedere con la richiesta **{{subject}}** ({{number}}) ci servono altre informazioni.\n\n{{comment}}\n\nRispondi a questo messaggio o visita {{statusUrl}}',
 '<p>Gentile {{name}},</p><p>per procedere con la richiesta <strong>{{subject}}</strong> ({{number}}) ci servono altre informazioni.</p><p>{{comment}}</p><p>Rispondi a questo messaggio o visita <a href="{{statusUrl}}">{{statusUrl}}</a></p>',
 E'Gentile {{name}},\n\nper procedere con la richiesta "{{subject}}" ({{number}}) ci servono altre informazioni.\n\n{{comment}}\n\nRispondi a questo messaggio o visita {{statusUrl}}'),
('waiting_citizen', 'en', 'We need information about request {{number}}',
 E'Dear {{name}},\n\nto go on with your request **{{subject}}** ({{number}}) we need more information.\n\n{{comment}}\n\nReply to this message or visit {{statusUrl}}',
 '<p>Dear {{name}},</p><p>to go on with your request <strong>{{subject}}</strong> ({{number}}) we need more information.</p><p>{{comment}}</p><p>Reply to this message or visit <a href="{{statusUrl}}">{{statusUrl}}</a></p>',
 E'Dear {{name}},\n\nto go on with your request "{{subject}}" ({{number}}) we need more information.\n\n{{comment}}\n\nReply to this message or visit {{statusUrl}}'),
('resolved', 'it', 'La tua richiesta {{number}} è stata risolta',
 E'Gentile {{name}},\n\nla tua richiesta **{{subject}}** ({{number}}) è stata risolta.\n\n{{answer}}\n\nDettagli: {{statusUrl}}',
 '<p>Gentile {{name}},</p><p>la tua richiesta <strong>{{subject}}</strong> ({{number}}) è stata risolta.</p><p>{{answer}}</p><p>Dettagli: <a href="{{statusUrl}}">{{statusUrl}}</a></p>',
 E'Gentile {{name}},\n\nla tua richiesta "{{subject}}" ({{number}}) è stata risolta.\n\n{{answer}}\n\nDettagli: {{statusUrl}}'),
('resolved', 'en', 'Your request {{number}} has been resolved',
 E'Dear {{name}},\n\nyour request **{{subject}}** ({{number}}) has been resolved.\n\n{{answer}}\n\nDetails: {{statusUrl}}',
 '<p>Dear {{name}},</p><p>your request <strong>{{subject}}</strong> ({{number}}) has been resolved.</p><p>{{answer}}</p><p>Details: <a href="{{statusUrl}}">{{statusUrl}}</a></p>',
 E'Dear {{name}},\n\nyour request "{{subject}}" ({{number}}) has been resolved.\n\n{{answer}}\n\nDetails: {{statusUrl}}'),
('closed', 'it', 'La tua richiesta {{number}} è chiusa',
 E'Gentile {{name}},\n\nla tua richiesta **{{subject}}** ({{number}}) è stata chiusa. Grazie per la segnalazione.\n\nDettagli: {{statusUrl}}',
 '<p>Gentile {{name}},</p><p>la tua richiesta <strong>{{subject}}</strong> ({{number}}) è stata chiusa. Grazie per la segnalazione.</p><p>Dettagli: <a href="{{statusUrl}}">{{statusUrl}}</a></p>',
 E'Gentile {{name}},\n\nla tua richiesta "{{subject}}" ({{number}}) è stata chiusa. Grazie per la segnalazione.\n\nDettagli: {{statusUrl}}'),
('closed', 'en', 'Your request {{number}} is closed',
 E'Dear {{name}},\n\nyour request **{{subject}}** ({{number}}) has been closed. Thank you for reporting it.\n\nDetails: {{statusUrl}}',
 '<p>Dear {{name}},</p><p>your request <strong>{{subject}}</strong> ({{number}}) has been closed. Thank you for reporting it.</p><p>Details: <a href="{{statusUrl}}">{{statusUrl}}</a></p>',
 E'Dear {{name}},\n\nyour request "{{subject}}" ({{number}}) has been closed. Thank you for reporting it.\n\nDetails: {{statusUrl}}'),
('reopened', 'it', 'La tua richiesta {{number}} è stata riaperta',
 E'Gentile {{name}},\n\nla tua richiesta **{{subject}}** ({{number}}) è stata riaperta e torna all''attenzione degli uffici.\n\nStato: {{statusUrl}}',
 '<p>Gentile {{name}},</p><p>la tua richiesta <strong>{{subject}}</strong> ({{number}}) è stata riaperta e torna all''attenzione degli uffici.</p><p>Stato: <a href="{{statusUrl}}">{{statusUrl}}</a></p>',
 E'Gentile {{name}},\n\nla tua richiesta "{{subject}}" ({{number}}) è stata riaperta e torna all''attenzione degli uffici.\n\nStato: {{statusUrl}}'),
('reopened', 'en', 'Your request {{number}} has been reopened',
 E'Dear {{name}},\n\nyour request **{{subject}}** ({{number}}) has been reopened and is back with our offices.\n\nStatus: {{statusUrl}}',
 '<p>Dear {{name}},</p><p>your request <strong>{{subject}}</strong> ({{number}}) has been reopened and is back with our offices.</p><p>Status: <a href="{{statusUrl}}">{{statusUrl}}</a></p>',
 E'Dear {{name}},\n\nyour request "{{subject}}" ({{number}}) has been reopened and is back with our offices.\n\nStatus: {{statusUrl}}'),
('reply', 'it', 'Risposta alla tua richiesta {{number}}',
 E'Gentile {{name}},\n\nsulla tua richiesta **{{subject}}** ({{number}}) gli uffici scrivono:\n\n{{message}}\n\nStato: {{statusUrl}}',
 '<p>Gentile {{name}},</p><p>sulla tua richiesta <strong>{{subject}}</strong> ({{number}}) gli uffici scrivono:</p><blockquote>{{message}}</blockquote><p>Stato: <a href="{{statusUrl}}">{{statusUrl}}</a></p>',
 E'Gentile {{name}},\n\nsulla tua richiesta "{{subject}}" ({{number}}) gli uffici scrivono:\n\n{{message}}\n\nStato: {{statusUrl}}'),
('reply', 'en', 'Reply about your request {{number}}',
 E'Dear {{name}},\n\nabout your request **{{subject}}** ({{number}}) our offices write:\n\n{{message}}\n\nStatus: {{statusUrl}}',
 '<p>Dear {{name}},</p><p>about your request <strong>{{subject}}</strong> ({{number}}) our offices write:</p><blockquote>{{message}}</blockquote><p>Status: <a href="{{statusUrl}}">{{statusUrl}}</a></p>',
 E'Dear {{name}},\n\nabout your request "{{subject}}" ({{number}}) our offices write:\n\n{{message}}\n\nStatus: {{statusUrl}}'),
('digest', 'it', 'Aggiornamenti sulla tua richiesta {{number}}',
 E'Gentile {{name}},\n\nla tua richiesta **{{subject}}** ({{number}}) è andata avanti:\n\n{{steps}}\n\nOra è: **{{status}}**.\n\n{{answer}}\n\nStato: {{statusUrl}}',
 '<p>Gentile {{name}},</p><p>la tua richiesta <strong>{{subject}}</strong> ({{number}}) è andata avanti:</p>{{steps}}<p>Ora è: <strong>{{status}}</strong>.</p><p>{{answer}}</p><p>Stato: <a href="{{statusUrl}}">{{statusUrl}}</a></p>',
 E'Gentile {{name}},\n\nla tua richiesta "{{subject}}" ({{number}}) è andata avanti:\n\n{{steps}}\n\nOra è: {{status}}.\n\n{{answer}}\n\nStato: {{statusUrl}}'),
('digest', 'en', 'Updates on your request {{number}}',
 E'Dear {{name}},\n\nyour request **{{subject}}** ({{number}}) has moved on:\n\n{{steps}}\n\nIt is now: **{{status}}**.\n\n{{answer}}\n\nStatus: {{statusUrl}}',
 '<p>Dear {{name}},</p><p>your request <strong>{{subject}}</strong> ({{number}}) has moved on:</p>{{steps}}<p>It is now: <strong>{{status}}</strong>.</p><p>{{answer}}</p><p>Status: <a href="{{statusUrl}}">{{statusUrl}}</a></p>',
 E'Dear {{name}},\n\nyour request "{{subject}}" ({{number}}) has moved on:\n\n{{steps}}\n\nIt is now: {{status}}.\n\n{{answer}}\n\nStatus: {{statusUrl}}');
