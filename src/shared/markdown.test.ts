import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isSafeHref,
  type MarkdownBlock,
  type MarkdownInline,
  markdownToText,
  parseMarkdown,
} from './markdown.ts';

/** Every link target and every node type found anywhere in the tree. */
function walk(blocks: MarkdownBlock[]) {
  const hrefs: string[] = [];
  const types = new Set<string>();
  const visit = (nodes: MarkdownInline[]) => {
    for (const node of nodes) {
      types.add(node.type);
      if (node.type === 'link') hrefs.push(node.href);
      if ('children' in node) visit(node.children);
    }
  };
  for (const block of blocks) {
    types.add(block.type);
    if (block.type === 'list') for (const item of block.items) visit(item);
    else if (block.type !== 'codeBlock') visit(block.children);
  }
  return { hrefs, types };
}

const pieces = fc.constantFrom(
  '# ',
  '## ',
  '- ',
  '1. ',
  '\n',
  '\n\n',
  '```',
  '**',
  '*',
  '_',
  '`',
  '[',
  ']',
  '(',
  ')',
  'javascript:alert(1)',
  'JaVaScRiPt:x',
  'data:text/html,<b>',
  'https://example.com/a',
  'mailto:a@b.c',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  'word',
  ' ',
);
const markdownish = fc.oneof(
  fc.string(),
  fc.array(pieces, { maxLength: 40 }).map((parts) => parts.join('')),
);

describe('markdown parser', () => {
  it('never throws, produces only known node types and only safe links (property)', () => {
    fc.assert(
      fc.property(markdownish, (source) => {
        const tree = parseMarkdown(source);
        const { hrefs, types } = walk(tree);
        for (const href of hrefs) {
          expect(isSafeHref(href)).toBe(true);
          expect(href).toMatch(/^(https?:|mailto:)/i);
        }
        for (const type of types) {
          expect([
            'heading',
            'paragraph',
            'list',
            'codeBlock',
            'text',
            'strong',
            'em',
            'code',
            'link',
          ]).toContain(type);
        }
        // The tree is data: serialising it never yields an element, only text.
        expect(typeof markdownToText(source)).toBe('string');
      }),
      { numRuns: 500 },
    );
  });

  it('parses headings, lists, emphasis, code and links', () => {
    const tree = parseMarkdown(
      '# Refunds\n\nAsk **within 30 days** for a *full* refund, see [terms](https://example.com/t).\n\n- one\n- `two`\n\n1. first\n\n```\n<b>raw</b>\n```',
    );
    expect(tree.map((block) => block.type)).toEqual(['heading', 'paragraph', 'list', 'list', 'codeBlock']);
    expect(tree[1]).toEqual({
      type: 'paragraph',
      children: [
        { type: 'text', text: 'Ask ' },
        { type: 'strong', children: [{ type: 'text', text: 'within 30 days' }] },
        { type: 'text', text: ' for a ' },
        { type: 'em', children: [{ type: 'text', text: 'full' }] },
        { type: 'text', text: ' refund, see ' },
        { type: 'link', href: 'https://example.com/t', children: [{ type: 'text', text: 'terms' }] },
        { type: 'text', text: '.' },
      ],
    });
    expect(tree[3]).toMatchObject({ type: 'list', ordered: true });
    expect(tree[4]).toEqual({ type: 'codeBlock', text: '<b>raw</b>' });
  });

  it('keeps unsafe links as their text only, and HTML as literal text', () => {
    const tree = parseMarkdown('[click](javascript:alert(1)) <script>x</script>');
    expect(walk(tree).hrefs).toEqual([]);
    expect(markdownToText('[click](javascript:alert(1)) <script>x</script>')).toContain('<script>');
    expect(walk(tree).types.has('link')).toBe(false);
  });
});
