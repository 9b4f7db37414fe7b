-- Knowledge base: indexes for the customer list (alphabetical within published), the category
-- filter and the deflection report (answers given while writing a request, by period).
create index kb_articles_title_idx on kb_articles (workspace_id, status, title, id);
create index kb_articles_category_idx on kb_articles (workspace_id, category, status) where category is not null;
create index kb_feedback_context_idx on kb_feedback (workspace_id, context, created_at);
