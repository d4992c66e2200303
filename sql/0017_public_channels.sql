-- Public channels: the web form (/segnala), the Open311 GeoReport v2 API and the field
-- workers' app. Each submission is recorded once per (channel, external id) next to the
-- case ingest made of it, with what only that channel knows (the category's answers, the
-- Open311 app and token, media URL).

-- An Open311 client app's key. Only a SHA-256 of the key is kept (keys are 256 random
-- bits, so a fast hash is enough): the key itself is shown once, when it is created.
create table open311_api_keys (
  id            bigint generated always as identity primary key,
  name          text not null check (length(name) between 1 and 120),
  key_hash      text not null unique check (key_hash ~ '^[0-9a-f]{64}$'),
  key_hint      text not null check (length(key_hint) between 1 and 8),
  created_by    bigint references staff_users (id),
  created_at    timestamptz not null default now(),
  last_used_at  timestamptz,
  revoked_at    timestamptz,
  revoked_by    bigint references staff_users (id)
);

create table public_submissions (
  id            bigint generated always as identity primary key,
  channel       text not null check (channel in ('web', 'open311', 'field')),
  external_id   text not null check (length(external_id) between 1 and 500),
  case_id       bigint not null references cases (id),
  api_key_id    bigint references open311_api_keys (id),
  -- Open311's "token" for the request (GET tokens/{token}); opaque, random.
  token         text not null unique default replace(gen_random_uuid()::text, '-', ''),
  category_id   bigint references categories (id),
  -- The category's extra questions as answered: {code: value | [values]}.
  answers       jsonb not null default '{}' check (jsonb_typeof(answers) = 'object'),
  media_url     text check (media_url is null or length(media_url) <= 2000),
  device_id     text check (device_id is null or length(device_id) <= 200),
  account_id    text check (account_id is null or length(account_id) <= 200),
  created_at    timestamptz not null default now(),
  unique (channel, external_id)
);
create index public_submissions_case_idx on public_submissions (case_id);

-- Bearer tokens of the field app: one per device sign-in, kept as SHA-256, with an expiry.
create table field_tokens (
  id             bigint generated always as identity primary key,
  token_hash     text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
  staff_user_id  bigint not null references staff_users (id),
  device_name    text check (device_name is null or length(device_name) <= 120),
  created_at     timestamptz not null default now(),
  expires_at     timestamptz not null,
  last_used_at   timestamptz,
  revoked_at     timestamptz
);
create index field_tokens_user_idx on field_tokens (staff_user_id);

-- A local gazetteer of Prato's streets and civic numbers for the web form's address
-- autocomplete and geocoding. APPROXIMATE: each street is a straight segment between two
-- hand-placed points and its civic numbers are spread evenly along it. Good enough to
-- place a report on the right street; replace with the Comune's civic-number register
-- (the agenda's "mappatura dei numeri civici") when it is available.
create table gazetteer_streets (
  id           bigint generated always as identity primary key,
  name         text not null unique check (length(name) between 1 and 200),
  -- Lowercase, accents and apostrophes folded: what a search is matched against.
  search_name  text not null,
  postcode     text not null check (postcode ~ '^[0-9]{5}$'),
  from_lat     double precision not null,
  from_lon     double precision not null,
  to_lat       double precision not null,
  to_lon       double precision not null,
  last_civic   integer not null check (last_civic between 1 and 2000)
);
create index gazetteer_streets_search_idx on gazetteer_streets (search_name text_pattern_ops);

create table gazetteer_civics (
  street_id  bigint not null references gazetteer_streets (id),
  civic      text not null check (civic ~ '^[0-9]{1,4}[A-Za-z]?(/[0-9A-Za-z]{1,3})?$'),
  latitude   double precision not null,
  longitude  double precision not null,
  primary key (street_id, civic)
);

insert into gazetteer_streets (name, search_name, postcode, from_lat, from_lon, to_lat, to_lon, last_civic) values
  ('Piazza del Comune', 'piazza del comune', '59100', 43.88060, 11.09700, 43.88100, 11.09780, 20),
  ('Piazza del Duomo', 'piazza del duomo', '59100', 43.88230, 11.09560, 43.88300, 11.09660, 30),
  ('Piazza Mercatale', 'piazza mercatale', '59100', 43.88050, 11.10150, 43.87900, 11.10300, 90),
  ('Piazza San Francesco', 'piazza san francesco', '59100', 43.87930, 11.09620, 43.87960, 11.09720, 30),
  ('Piazza Cardinale Niccolò', 'piazza cardinale niccolo', '59100', 43.87790, 11.09420, 43.87830, 11.09500, 20),
  ('Piazza San Marco', 'piazza san marco', '59100', 43.87880, 11.10440, 43.87820, 11.10520, 40),
  ('Via Garibaldi', 'via garibaldi', '59100', 43.88100, 11.09850, 43.88260, 11.10000, 120),
  ('Via Cairoli', 'via cairoli', '59100', 43.88010, 11.09680, 43.87990, 11.09880, 60),
  ('Via Mazzoni', 'via mazzoni', '59100', 43.88110, 11.09640, 43.88220, 11.09580, 60),
  ('Via Ricasoli', 'via ricasoli', '59100', 43.88050, 11.09500, 43.87920, 11.09560, 80),
  ('Via Guasti', 'via guasti', '59100', 43.88180, 11.09460, 43.88250, 11.09560, 40),
  ('Via Magnolfi', 'via magnolfi', '59100', 43.88300, 11.09620, 43.88500, 11.09570, 80),
  ('Via Santa Trinita', 'via santa trinita', '59100', 43.87780, 11.09480, 43.87590, 11.09600, 110),
  ('Via Pomeria', 'via pomeria', '59100', 43.88320, 11.09250, 43.88550, 11.09750, 160),
  ('Via Cavour', 'via cavour', '59100', 43.87910, 11.09960, 43.87730, 11.10100, 60),
  ('Via Ferrucci', 'via ferrucci', '59100', 43.87820, 11.10230, 43.87100, 11.10850, 300),
  ('Via Valentini', 'via valentini', '59100', 43.88350, 11.10000, 43.88600, 11.10150, 90),
  ('Via Bologna', 'via bologna', '59100', 43.88650, 11.09700, 43.91300, 11.09250, 700),
  ('Via Roma', 'via roma', '59100', 43.87500, 11.09500, 43.85650, 11.09150, 600),
  ('Viale della Repubblica', 'viale della repubblica', '59100', 43.86550, 11.08800, 43.85500, 11.11900, 300),
  ('Viale Vittorio Veneto', 'viale vittorio veneto', '59100', 43.87880, 11.10380, 43.87750, 11.10800, 80),
  ('Viale Piave', 'viale piave', '59100', 43.87700, 11.09100, 43.87550, 11.09600, 60),
  ('Viale Galileo Galilei', 'viale galileo galilei', '59100', 43.88700, 11.10200, 43.89000, 11.11000, 120),
  ('Viale Montegrappa', 'viale montegrappa', '59100', 43.87250, 11.08300, 43.87600, 11.09100, 300),
  ('Via Pistoiese', 'via pistoiese', '59100', 43.88400, 11.09000, 43.89300, 11.03500, 800),
  ('Via Firenze', 'via firenze', '59100', 43.87400, 11.10800, 43.86200, 11.13300, 500),
  ('Via Fiorentina', 'via fiorentina', '59100', 43.88500, 11.11000, 43.88000, 11.13500, 300),
  ('Via Galcianese', 'via galcianese', '59100', 43.88600, 11.09000, 43.90200, 11.07300, 400),
  ('Via Strozzi', 'via strozzi', '59100', 43.88600, 11.09400, 43.89600, 11.09000, 300),
  ('Via Filzi', 'via filzi', '59100', 43.87300, 11.08900, 43.86600, 11.08100, 200),
  ('Via Paronese', 'via paronese', '59100', 43.86000, 11.08300, 43.84500, 11.07000, 400),
  ('Viale Leonardo da Vinci', 'viale leonardo da vinci', '59100', 43.86800, 11.06200, 43.85400, 11.12600, 400),
  ('Via Marx', 'via marx', '59100', 43.87300, 11.07800, 43.86100, 11.06600, 600),
  ('Via Traversa Pistoiese', 'via traversa pistoiese', '59100', 43.88100, 11.07600, 43.87200, 11.05000, 200),
  ('Via di Maliseti', 'via di maliseti', '59100', 43.90000, 11.06000, 43.90800, 11.05000, 150),
  ('Via del Ferro', 'via del ferro', '59100', 43.86400, 11.07500, 43.85500, 11.06800, 150),
  ('Via Roma di Iolo', 'via roma di iolo', '59100', 43.84400, 11.07800, 43.84000, 11.06800, 120),
  ('Via Lazzerini', 'via lazzerini', '59100', 43.87950, 11.10650, 43.88250, 11.10950, 40),
  ('Via Curtatone', 'via curtatone', '59100', 43.87550, 11.09500, 43.87350, 11.09950, 60),
  ('Via Zarini', 'via zarini', '59100', 43.86900, 11.10300, 43.85900, 11.10900, 400);

insert into gazetteer_civics (street_id, civic, latitude, longitude)
select s.id, n::text,
       round((s.from_lat + (s.to_lat - s.from_lat) * (n - 1) / greatest(s.last_civic - 1, 1))::numeric, 6)::double precision,
       round((s.from_lon + (s.to_lon - s.from_lon) * (n - 1) / greatest(s.last_civic - 1, 1))::numeric, 6)::double precision
  from gazetteer_streets s, generate_series(1, s.last_civic) n;
