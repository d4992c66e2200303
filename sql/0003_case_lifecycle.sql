-- Cases, part two: Italian full-text search, links between cases, merge of
-- duplicates, and the indexes the operators' lists need at a million cases.

-- Italian search that forgives accents and the spelling of plurals. The Snowball
-- stemmer keeps the "h" Italian inserts before e/i to keep c and g hard
-- ("buca" → buc, "buche" → buch), so text is folded first: che→ce, ghi→gi …
-- Documents and queries go through the same folding, so they meet.
create text search configuration filo_it (copy = italian);
alter text search configuration filo_it
  alter mapping for hword, hword_part, word with unaccent, italian_stem;

create function filo_fts_text(t text) returns text
  language sql immutable parallel safe strict
  return regexp_replace(lower(t), '([cg])h([eèéiìí])', '\1\2', 'g');

alter table cases
  add column merged_into_id bigint references cases (id),
  add column search tsvector generated always as (
    setweight(to_tsvector('filo_it', filo_fts_text(number)), 'A')
    || setweight(to_tsvector('filo_it', filo_fts_text(subject)), 'A')
    || setweight(to_tsvector('filo_it', filo_fts_text(description)), 'B')
  ) stored,
  add constraint cases_not_merged_into_itself check (merged_into_id is null or merged_into_id <> id);

create index cases_search_idx on cases using gin (search);
create index cases_tags_idx on cases using gin (tags);
create index cases_priority_created_idx on cases (priority, created_at desc, id desc);
create index cases_channel_created_idx on cases (channel, created_at desc, id desc);
create index cases_updated_idx on cases (updated_at desc, id desc);
create index cases_resolution_due_idx on cases (resolution_due_at) where resolution_due_at is not null;
create index cases_merged_into_idx on cases (merged_into_id) where merged_into_id is not null;
create index cases_assignee_created_idx on cases (assignee_id, created_at desc, id desc) where assignee_id is not null;
create index cases_category_created_idx on cases (category_id, created_at desc, id desc);
drop index cases_assignee_idx;
drop index cases_category_idx;

-- A case's contact is found by name too: the same folding over the contact's names.
create index contacts_names_search_idx on contacts using gin (
  to_tsvector('filo_it', filo_fts_text(
    coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(organisation_name, ''))));

-- Links between cases. "duplicate": from is a duplicate of to. "child": from is a
-- child (sub-task) of to. "related": symmetric, stored once with from < to.
create table case_links (
  id            bigint generated always as identity primary key,
  from_case_id  bigint not null references cases (id) on delete cascade,
  to_case_id    bigint not null references cases (id) on delete cascade,
  kind          text not null check (kind in ('duplicate', 'child', 'related')),
  created_by    bigint references staff_users (id),
  created_at    timestamptz not null default now(),
  check (from_case_id <> to_case_id),
  check (kind <> 'related' or from_case_id < to_case_id),
  unique (from_case_id, to_case_id, kind)
);
create index case_links_to_idx on case_links (to_case_id);
-- A case has at most one parent.
create unique index case_links_one_parent on case_links (from_case_id) where kind = 'child';
