-- Every case gets an unguessable token for its public status page (/stato/<token>),
-- the link citizens are sent on every channel; 122 random bits from gen_random_uuid().
alter table cases
  add column public_token text not null default replace(gen_random_uuid()::text, '-', '');
create unique index cases_public_token_idx on cases (public_token);
