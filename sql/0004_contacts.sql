-- Contacts, part two: the CRM. Every email address and phone number of a contact,
-- consents, people's roles in organisations, optimistic concurrency, and the
-- merge of duplicates (a merged contact stays, pointing to its survivor).

-- unaccent() is only stable (its dictionary could change), so it cannot appear in a
-- generated column or an index; this wrapper names the dictionary and promises
-- immutability, which holds as long as nobody edits unaccent.rules in place.
create function contacts_unaccent(t text) returns text
  language sql immutable parallel safe strict
  return public.unaccent('public.unaccent'::regdictionary, t);

alter table contacts
  add column version integer not null default 1,
  add column merged_into_id bigint references contacts (id),
  add column merged_at timestamptz,
  -- Names folded for search and similarity: lower case, no accents ("Niccolò" meets "niccolo").
  add column name_key text generated always as (
    lower(contacts_unaccent(btrim(
      coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(organisation_name, '')
    )))
  ) stored,
  add constraint contacts_not_merged_into_itself check (merged_into_id is null or merged_into_id <> id),
  add constraint contacts_merged_at_with_target check ((merged_into_id is null) = (merged_at is null));

-- Similar names (duplicate suggestions, "q" in the list): trigrams of the folded name.
create index contacts_name_key_trgm_idx on contacts using gin (name_key gin_trgm_ops);
create index contacts_vat_number_idx on contacts (vat_number) where vat_number is not null;
create index contacts_merged_into_idx on contacts (merged_into_id) where merged_into_id is not null;
-- No unique index on the codice fiscale: real registers (and the demo seed) hold the
-- same code twice, and a merge is how that gets fixed. The service refuses a second
-- live person with a code under an advisory lock instead.

-- Every address of a contact. contacts.email stays the primary one (the
-- notification pipeline and the case list read it there); a trigger mirrors it here.
create table contact_emails (
  id          bigint generated always as identity primary key,
  contact_id  bigint not null references contacts (id) on delete cascade,
  email       text not null check (email = lower(email) and length(email) between 3 and 254),
  label       text check (label is null or length(label) between 1 and 40),
  is_primary  boolean not null default false,
  verified    boolean not null default false,
  created_at  timestamptz not null default now(),
  unique (contact_id, email)
);
create unique index contact_emails_one_primary on contact_emails (contact_id) where is_primary;
create index contact_emails_email_idx on contact_emails (email);

-- Every phone number of a contact, in E.164; contacts.phone is the primary one, mirrored likewise.
create table contact_phones (
  id          bigint generated always as identity primary key,
  contact_id  bigint not null references contacts (id) on delete cascade,
  phone       text not null check (phone ~ '^\+[1-9][0-9]{6,14}$'),
  label       text check (label is null or length(label) between 1 and 40),
  is_primary  boolean not null default false,
  verified    boolean not null default false,
  created_at  timestamptz not null default now(),
  unique (contact_id, phone)
);
create unique index contact_phones_one_primary on contact_phones (contact_id) where is_primary;
create index contact_phones_phone_idx on contact_phones (phone);

-- The state of each consent; how it changed over time is in the audit log.
create table contact_consents (
  contact_id   bigint not null references contacts (id) on delete cascade,
  kind         text not null check (kind in ('privacy', 'io_messages', 'email_updates', 'sms')),
  granted      boolean not null,
  at           timestamptz not null default now(),
  source       text check (source is null or length(source) between 1 and 100),
  recorded_by  bigint references staff_users (id),
  primary key (contact_id, kind)
);

-- People acting for organisations (the legal representative of a cooperative…).
-- That person_id is a person and organisation_id an organisation is checked by the service.
create table organisation_members (
  person_id        bigint not null references contacts (id) on delete cascade,
  organisation_id  bigint not null references contacts (id) on delete cascade,
  role             text check (role is null or length(role) between 1 and 100),
  created_at       timestamptz not null default now(),
  primary key (person_id, organisation_id),
  check (person_id <> organisation_id)
);
create index organisation_members_organisation_idx on organisation_members (organisation_id);

-- Writers that only know contacts.email / contacts.phone (the seed, inbound channels)
-- keep the address tables complete: the primary value is mirrored there. Phones not
-- in E.164 are left out rather than failing the writer's insert.
create function contacts_mirror_primary() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' or new.email is distinct from old.email then
    update contact_emails set is_primary = false
      where contact_id = new.id and is_primary and email is distinct from lower(new.email);
    if new.email is not null then
      insert into contact_emails (contact_id, email, is_primary) values (new.id, lower(new.email), true)
        on conflict (contact_id, email) do update set is_primary = true;
    end if;
  end if;
  if tg_op = 'INSERT' or new.phone is distinct from old.phone then
    update contact_phones set is_primary = false
      where contact_id = new.id and is_primary and phone is distinct from new.phone;
    if new.phone ~ '^\+[1-9][0-9]{6,14}$' then
      insert into contact_phones (contact_id, phone, is_primary) values (new.id, new.phone, true)
        on conflict (contact_id, phone) do update set is_primary = true;
    end if;
  end if;
  return null;
end $$;
create trigger contacts_mirror_primary after insert or update of email, phone on contacts
  for each row execute function contacts_mirror_primary();

insert into contact_emails (contact_id, email, is_primary)
  select id, lower(email), true from contacts where email is not null;
insert into contact_phones (contact_id, phone, is_primary)
  select id, phone, true from contacts where phone ~ '^\+[1-9][0-9]{6,14}$';
