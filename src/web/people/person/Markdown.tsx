import { Anchor, Code, List, Text, Title, Typography } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A small, safe Markdown renderer for notes: headings, paragraphs, bullet and numbered lists,
 * **bold**, *italic*, `code` and [links](https://…). It builds React elements (never HTML
 * strings), so nothing in a note can inject markup; links are limited to http(s) and mailto.
 */
export function Markdown({ source }: { source: string }) {
  const blocks: ReactNode[] = [];
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  let index = 0;
  while (index < lines.length) {
    const line = lines[index] ?? '';
    const heading = /^(#{1,4})\s+(.*)$/.exec(line);
    if (heading) {
      const level = Math.min(6, (heading[1]?.length ?? 1) + 2) as 3 | 4 | 5 | 6;
      blocks.push(
        <Title key={index} order={level}>
          {inline(heading[2] ?? '')}
        </Title>,
      );
      index++;
    } else if (/^\s*([-*+]|\d+[.)])\s+/.test(line)) {
      const ordered = /^\s*\d/.test(line);
      const items: ReactNode[] = [];
      while (index < lines.length && /^\s*([-*+]|\d+[.)])\s+/.test(lines[index] ?? '')) {
        items.push(
          <List.Item key={index}>
            {inline((lines[index] ?? '').replace(/^\s*([-*+]|\d+[.)])\s+/, ''))}
          </List.Item>,
        );
        index++;
      }
      blocks.push(
        <List key={`l${index}`} type={ordered ? 'ordered' : 'unordered'} size="sm" mb="sm">
          {items}
        </List>,
      );
    } else if (line.trim() === '') {
      index++;
    } else {
      const paragraph: string[] = [];
      while (
        index < lines.length &&
        (lines[index] ?? '').trim() !== '' &&
        !/^(#{1,4}\s|\s*([-*+]|\d+[.)])\s)/.test(lines[index] ?? '')
      ) {
        paragraph.push(lines[index] ?? '');
        index++;
      }
      blocks.push(
        <Text key={`p${index}`} size="sm" mb="sm">
          {inline(paragraph.join('\n'))}
        </Text>,
      );
    }
  }
  return <Typography>{blocks}</Typography>;
}

const token = /(\*\*[^*]+\*\*|\*[^*\s][^*]*\*|_[^_\s][^_]*_|`[^`]+`|\[[^\]]+\]\([^)\s]+\))/g;

function inline(text: string): ReactNode[] {
  return text.split(token).map((part, index) => {
    const key = `${index}`;
    if (part.startsWith('**') && part.endsWith('**') && part.length > 4)
      return <b key={key}>{part.slice(2, -2)}</b>;
    if (part.startsWith('`') && part.endsWith('`') && part.length > 2)
      return <Code key={key}>{part.slice(1, -1)}</Code>;
    if ((part.startsWith('*') && part.endsWith('*')) || (part.startsWith('_') && part.endsWith('_'))) {
      if (part.length > 2) return <i key={key}>{part.slice(1, -1)}</i>;
    }
    const link = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(part);
    if (link) {
      const href = link[2] ?? '';
      if (/^(https?:|mailto:)/i.test(href))
        return (
          <Anchor key={key} href={href} target="_blank" rel="noreferrer noopener">
            {link[1]}
          </Anchor>
        );
      return link[1];
    }
    return part;
  });
}
