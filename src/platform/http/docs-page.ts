type OpenApi = ReturnType<typeof import('./openapi.ts').buildOpenApi>;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** A readable API reference rendered on the server from the OpenAPI document (no scripts, CSP-safe). */
export function renderDocsPage(doc: OpenApi): string {
  const sections = new Map<string, string[]>();
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(operations)) {
      const operation = raw as {
        summary: string;
        description?: string;
        tags: string[];
        'x-permission': string;
        parameters?: { name: string; in: string; required: boolean; schema: unknown }[];
        requestBody?: { content: { 'application/json': { schema: unknown } } };
        responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
      };
      const tag = operation.tags[0] ?? 'other';
      const parameters = (operation.parameters ?? [])
        .map((p) => `<li><code>${escapeHtml(p.name)}</code> (${p.in}${p.required ? ', required' : ''})</li>`)
        .join('');
      const body = operation.requestBody
        ? `<details><summary>Request body</summary><pre>${escapeHtml(JSON.stringify(operation.requestBody.content['application/json'].schema, null, 2))}</pre></details>`
        : '';
      const responses = Object.entries(operation.responses)
        .map(([status, response]) => {
          const schema = response.content ? Object.values(response.content)[0]?.schema : undefined;
          return schema && !status.startsWith('4')
            ? `<details><summary>${status} ${escapeHtml(response.description)}</summary><pre>${escapeHtml(JSON.stringify(schema, null, 2))}</pre></details>`
            : `<div class="status">${status} ${escapeHtml(response.description)}</div>`;
        })
        .join('');
      const html = `<section class="op" id="${escapeHtml(`${method}-${path}`)}">
<h3><span class="method ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>
<p>${escapeHtml(operation.summary)}${operation.description ? ` — ${escapeHtml(operation.description)}` : ''}</p>
<p class="perm">Permission: <code>${escapeHtml(operation['x-permission'])}</code></p>
${parameters ? `<ul>${parameters}</ul>` : ''}${body}${responses}</section>`;
      sections.set(tag, [...(sections.get(tag) ?? []), html]);
    }
  }
  const toc = [...sections.keys()]
    .map((tag) => `<a href="#tag-${escapeHtml(tag)}">${escapeHtml(tag)}</a>`)
    .join(' · ');
  const content = [...sections.entries()]
    .map(([tag, ops]) => `<h2 id="tag-${escapeHtml(tag)}">${escapeHtml(tag)}</h2>${ops.join('\n')}`)
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Rapport API reference</title><style>
body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:0 auto;padding:1rem;color:#1a1b1e;background:#fff}
@media (prefers-color-scheme:dark){body{color:#e9ecef;background:#1a1b1e}pre{background:#25262b!important}}
pre{background:#f1f3f5;padding:.75rem;overflow:auto;border-radius:6px;font-size:13px}
.op{border-top:1px solid #8884;padding:.5rem 0}.method{display:inline-block;min-width:4.5rem;font-weight:700}
.get{color:#2b8a3e}.post{color:#1864ab}.patch,.put{color:#e67700}.delete{color:#c92a2a}.perm,.status{font-size:13px;opacity:.8}
</style></head><body><h1>Rapport API reference</h1><p>${escapeHtml(doc.info.description)}</p>
<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).</p><nav>${toc}</nav>${content}</body></html>`;
}
