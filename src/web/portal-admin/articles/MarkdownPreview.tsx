// biome-ignore-all lint/suspicious/noArrayIndexKey: the tree is rebuilt from the source on each render; a node's place is its identity.
import { Anchor, Code, List, Text, Title, Typography } from '@mantine/core';
import type { ReactNode } from 'react';
import { type MarkdownBlock, type MarkdownInline, parseMarkdown } from '../../../shared/markdown.ts';

/** The article as customers will see it, from the same safe parser as the portal. */
export function MarkdownPreview({ source }: { source: string }) {
  const blocks = parseMarkdown(source);
  if (blocks.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        Nothing to preview yet.
      </Text>
    );
  }
  return <Typography>{blocks.map(renderBlock)}</Typography>;
}

function renderBlock(block: MarkdownBlock, index: number): ReactNode {
  if (block.type === 'heading') {
    return (
      <Title key={index} order={(block.level + 1) as 2 | 3 | 4 | 5}>
        {renderInline(block.children)}
      </Title>
    );
  }
  if (block.type === 'list') {
    return (
      <List key={index} type={block.ordered ? 'ordered' : 'unordered'} mb="sm">
        {block.items.map((item, itemIndex) => (
          <List.Item key={itemIndex}>{renderInline(item)}</List.Item>
        ))}
      </List>
    );
  }
  if (block.type === 'codeBlock') {
    return (
      <Code key={index} block mb="sm">
        {block.text}
      </Code>
    );
  }
  return (
    <Text key={index} mb="sm" style={{ whiteSpace: 'pre-line' }}>
      {renderInline(block.children)}
    </Text>
  );
}

function renderInline(nodes: MarkdownInline[]): ReactNode[] {
  return nodes.map((node, index) => {
    if (node.type === 'text') return node.text;
    if (node.type === 'strong') return <b key={index}>{renderInline(node.children)}</b>;
    if (node.type === 'em') return <i key={index}>{renderInline(node.children)}</i>;
    if (node.type === 'code') return <Code key={index}>{node.text}</Code>;
    return (
      <Anchor key={index} href={node.href} target="_blank" rel="noreferrer noopener">
        {renderInline(node.children)}
      </Anchor>
    );
  });
}
