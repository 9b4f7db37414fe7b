// biome-ignore-all lint/suspicious/noArrayIndexKey: the tree is rebuilt from the source on each render; a node's place is its identity.
import { Anchor, Code, List, Text, Title, Typography } from '@mantine/core';
import type { ReactNode } from 'react';
import { type MarkdownBlock, type MarkdownInline, parseMarkdown } from '../../../shared/markdown.ts';

/**
 * A small, safe Markdown renderer for notes: headings, paragraphs, bullet and numbered lists,
 * **bold**, *italic*, `code` and [links](https://…). It builds React elements from the shared
 * parser's tree (never HTML strings), so nothing in a note can inject markup; links are limited
 * to http(s) and mailto.
 */
export function Markdown({ source }: { source: string }) {
  return <Typography>{parseMarkdown(source).map(block)}</Typography>;
}

function block(node: MarkdownBlock, index: number): ReactNode {
  if (node.type === 'heading') {
    return (
      <Title key={index} order={Math.min(6, node.level + 2) as 3 | 4 | 5 | 6}>
        {inline(node.children)}
      </Title>
    );
  }
  if (node.type === 'list') {
    return (
      <List key={index} type={node.ordered ? 'ordered' : 'unordered'} size="sm" mb="sm">
        {node.items.map((item, itemIndex) => (
          <List.Item key={itemIndex}>{inline(item)}</List.Item>
        ))}
      </List>
    );
  }
  if (node.type === 'codeBlock') {
    return (
      <Code key={index} block mb="sm">
        {node.text}
      </Code>
    );
  }
  return (
    <Text key={index} size="sm" mb="sm">
      {inline(node.children)}
    </Text>
  );
}

function inline(nodes: MarkdownInline[]): ReactNode[] {
  return nodes.map((node, index) => {
    if (node.type === 'text') return node.text;
    if (node.type === 'strong') return <b key={index}>{inline(node.children)}</b>;
    if (node.type === 'em') return <i key={index}>{inline(node.children)}</i>;
    if (node.type === 'code') return <Code key={index}>{node.text}</Code>;
    return (
      <Anchor key={index} href={node.href} target="_blank" rel="noreferrer noopener">
        {inline(node.children)}
      </Anchor>
    );
  });
}
