-- Search reads the GIN indexes of people and organizations; each GIN index keeps new entries in
-- an unsorted pending list (fast update) until it holds gin_pending_list_limit (4 MB by default)
-- or vacuum runs, and every search scans that list whole. On 1M people after a few thousand
-- creates, a notes or text lookup for a rare word read ~500 pending pages (~37 ms) instead of a
-- handful. A 256 kB list bounds that scan to ~32 pages; inserts still batch their index entries
-- (a flush merges ~60 rows' entries at once).
alter index people_search_name_idx set (gin_pending_list_limit = 256);
alter index people_search_text_idx set (gin_pending_list_limit = 256);
alter index people_notes_search_idx set (gin_pending_list_limit = 256);
alter index people_tags_idx set (gin_pending_list_limit = 256);
alter index people_email_keys_idx set (gin_pending_list_limit = 256);
alter index people_phone_keys_idx set (gin_pending_list_limit = 256);
alter index people_custom_fields_idx set (gin_pending_list_limit = 256);
alter index organizations_search_name_idx set (gin_pending_list_limit = 256);
alter index organizations_search_text_idx set (gin_pending_list_limit = 256);
alter index organizations_tags_idx set (gin_pending_list_limit = 256);
alter index organizations_domains_idx set (gin_pending_list_limit = 256);
-- Flush what is pending now (an existing database), as vacuum would.
select gin_clean_pending_list(indexrelid) from pg_index
  where indexrelid in ('people_search_name_idx'::regclass, 'people_search_text_idx'::regclass,
    'people_notes_search_idx'::regclass, 'people_tags_idx'::regclass, 'people_email_keys_idx'::regclass,
    'people_phone_keys_idx'::regclass, 'people_custom_fields_idx'::regclass,
    'organizations_search_name_idx'::regclass, 'organizations_search_text_idx'::regclass,
    'organizations_tags_idx'::regclass, 'organizations_domains_idx'::regclass);
