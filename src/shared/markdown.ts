/**
 * A small, safe Markdown parser: headings, paragraphs, bullet and numbered lists, fenced code,
 * **bold**, *italic*, `code` and [links](https://…). It returns a tree of plain-text nodes, never
 * HTML, so renderers build elements from it and nothing in the source can inject markup. Links
 * keep only http(s) and mailto targets; any other link is left as its text.
 */

export type MarkdownInline =
  | { type: 'text'; text: string }
  | { type: 'strong'; children: MarkdownInline[] }
  | { type: 'em'; children: MarkdownInline[] }
  | { type: 'code'; text: string }
  | { type: 'link'; href: string; children: MarkdownInline[] };

export type MarkdownBlock =
  | { type: 'heading'; level: 1 | 2 | 3 | 4; children: MarkdownInline[] }
  | { type: 'paragraph'; children: MarkdownInline[] }
  | { type: 'list'; ordered: boolean; items: MarkdownInline[][] }
  | { type: 'codeBlock'; text: string };

const headingLine = /^(#{1,4})\s+(.*)$/;
const listLine = /^\s*([-*+]|\d{1,9}[.)])\s+/;
const fenceLine = /^\s*```/;

/** True for the link targets a renderer may follow: http(s) and mailto. */
export function isSafeHref(href: string): boolean {
  return /^(https?:\/\/|mailto:)[^\s<>"']+$/i.test(href);
}

export function parseMarkdown(source: string): MarkdownBlock[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: MarkdownBlock[] = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index] ?? '';
    const heading = headingLine.exec(line);
    if (fenceLine.test(line)) {
      const code: string[] = [];
      index++;
      while (index < lines.length && !fenceLine.test(lines[index] ?? '')) {
        code.push(lines[index] ?? '');
        index++;
      }
      index++; // the closing fence (or the end)
      blocks.push({ type: 'codeBlock', text: code.join('\n') });
    } else if (heading) {
      const level = (heading[1]?.length ?? 1) as 1 | 2 | 3 | 4;
      blocks.push({ type: 'heading', level, children: parseInline(heading[2] ?? '') });
      index++;
    } else if (listLine.test(line)) {
      const ordered = /^\s*\d/.test(line);
      const items: MarkdownInline[][] = [];
      while (index < lines.length && listLine.test(lines[index] ?? '')) {
        items.push(parseInline((lines[index] ?? '').replace(listLine, '')));
        index++;
      }
      blocks.push({ type: 'list', ordered, items });
    } else if (line.trim() === '') {
      index++;
    } else {
      const paragraph: string[] = [];
      while (index < lines.length) {
        const next = lines[index] ?? '';
        if (next.trim() === '' || headingLine.test(next) || listLine.test(next) || fenceLine.test(next))
          break;
        paragraph.push(next);
        index++;
      }
      blocks.push({ type: 'paragraph', children: parseInline(paragraph.join('\n')) });
    }
  }
  return blocks;
}

const inlineToken = /(`[^`\n]+`|\*\*[^*\n]+\*\*|\*[^*\s][^*\n]*\*|_[^_\s][^_\n]*_|\[[^\]\n]+\]\([^)\s]+\))/;

export function parseInline(text: string, depth = 0): MarkdownInline[] {
  const nodes: MarkdownInline[] = [];
  const push = (node: MarkdownInline) => {
    const last = nodes.at(-1);
    if (node.type === 'text' && last?.type === 'text') last.text += node.text;
    else if (node.type !== 'text' || node.text !== '') nodes.push(node);
  };
  const parts = text.split(inlineToken);
  for (const [index, part] of parts.entries()) {
    // split() with one capture group alternates: plain text at even indexes, tokens at odd ones.
    if (index % 2 === 0 || depth > 3) {
      push({ type: 'text', text: part });
    } else if (part.startsWith('`')) {
      push({ type: 'code', text: part.slice(1, -1) });
    } else if (part.startsWith('**')) {
      nodes.push({ type: 'strong', children: parseInline(part.slice(2, -2), depth + 1) });
    } else if (part.startsWith('*') || part.startsWith('_')) {
      nodes.push({ type: 'em', children: parseInline(part.slice(1, -1), depth + 1) });
    } else {
      const link = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(part);
      const label = link?.[1] ?? part;
      const href = link?.[2] ?? '';
      if (link && isSafeHref(href)) {
        nodes.push({ type: 'link', href, children: parseInline(label, depth + 1) });
      } else {
        push({ type: 'text', text: label });
      }
    }
  }
  return nodes;
}

function inlineText(nodes: MarkdownInline[]): string {
  return nodes.map((node) => ('children' in node ? inlineText(node.children) : node.text)).join('');
}

/** The plain text of Markdown (for snippets and previews), blocks separated by a space. */
export function markdownToText(source: string): string {
  return parseMarkdown(source)
    .map((block) => {
      if (block.type === 'codeBlock') return block.text;
      if (block.type === 'list') return block.items.map(inlineText).join(' ');
      return inlineText(block.children);
    })
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}
