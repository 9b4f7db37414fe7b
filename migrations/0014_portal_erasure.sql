-- Erasure requests: the staff list (newest first, optionally by status) and a customer's own
-- requests (by the hash of their email, so they still see the proof after the erasure).
create index erasure_requests_list_idx on erasure_requests (workspace_id, id desc);
create index erasure_requests_status_idx on erasure_requests (workspace_id, status, id desc);
create index erasure_requests_email_idx on erasure_requests (workspace_id, email_hash, id desc);

-- The erasure sweep: replaces what `pattern` (a case-insensitive regular expression) matches in
-- every string value of a jsonb document, leaving keys, numbers and the structure alone.
create function erasure_scrub_jsonb(doc jsonb, pattern text) returns jsonb
  language plpgsql immutable as $$
begin
  return case jsonb_typeof(doc)
    when 'string' then to_jsonb(regexp_replace(doc #>> '{}', pattern, '[erased]', 'gi'))
    when 'array' then coalesce(
      (select jsonb_agg(erasure_scrub_jsonb(e.value, pattern) order by e.ordinality)
         from jsonb_array_elements(doc) with ordinality as e(value, ordinality)),
      '[]'::jsonb)
    when 'object' then coalesce(
      (select jsonb_object_agg(e.key, erasure_scrub_jsonb(e.value, pattern)) from jsonb_each(doc) as e),
      '{}'::jsonb)
    else doc
  end;
end $$;
