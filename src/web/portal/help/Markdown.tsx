// biome-ignore-all lint/suspicious/noArrayIndexKey: the tree is rebuilt from the source on each render; a node's place is its identity.
import type { ReactNode } from 'react';
import { type MarkdownBlock, type MarkdownInline, parseMarkdown } from '../../../shared/markdown.ts';

/**
 * Renders article Markdown as React elements from the shared parser's tree: text stays text,
 * so nothing in an article can inject markup; links are http(s) or mailto only.
 */
export function Markdown({ source }: { source: string }) {
  return <div className="p-markdown">{parseMarkdown(source).map(renderBlock)}</div>;
}

function renderBlock(block: MarkdownBlock, index: number): ReactNode {
  switch (block.type) {
    case 'heading': {
      // The page title is the h1: article headings start at h2.
      const Tag = (['h2', 'h3', 'h4', 'h5'] as const)[block.level - 1] ?? 'h5';
      return <Tag key={index}>{renderInline(block.children)}</Tag>;
    }
    case 'paragraph':
      return (
        <p key={index} style={{ whiteSpace: 'pre-line' }}>
          {renderInline(block.children)}
        </p>
      );
    case 'list': {
      const Tag = block.ordered ? 'ol' : 'ul';
      return (
        <Tag key={index}>
          {block.items.map((item, itemIndex) => (
            <li key={itemIndex}>{renderInline(item)}</li>
          ))}
        </Tag>
      );
    }
    case 'codeBlock':
      return (
        <pre key={index} className="p-pre" style={{ overflowX: 'auto' }}>
          <code>{block.text}</code>
        </pre>
      );
  }
}

function renderInline(nodes: MarkdownInline[]): ReactNode[] {
  return nodes.map((node, index) => {
    if (node.type === 'text') return node.text;
    if (node.type === 'strong') return <strong key={index}>{renderInline(node.children)}</strong>;
    if (node.type === 'em') return <em key={index}>{renderInline(node.children)}</em>;
    if (node.type === 'code') return <code key={index}>{node.text}</code>;
    return (
      <a key={index} href={node.href} target="_blank" rel="noreferrer noopener">
        {renderInline(node.children)}
      </a>
    );
  });
}
