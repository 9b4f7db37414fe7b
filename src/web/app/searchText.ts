import { useDebouncedCallback } from '@mantine/hooks';
import { useRef, useState } from 'react';

/**
 * A list's search box. What is typed shows at once and reaches the address 250 ms after typing
 * stops, through `write` (with `replace` when a search is only refined, so Back skips the
 * keystrokes). When q changes in the address for another reason (Back, Forward, a saved view),
 * the box follows. The box's own writes never reset it: the router applies them in a transition,
 * after keys typed meanwhile, so they are recognised by the q last written rather than by state.
 */
export function useSearchText(
  q: string | undefined,
  write: (q: string | undefined, replace: boolean) => void,
) {
  const [text, setText] = useState(q ?? '');
  const written = useRef(q);
  const [seen, setSeen] = useState(q);
  if (seen !== q) {
    setSeen(q);
    if (q !== written.current) setText(q ?? '');
    written.current = q;
  }
  const apply = useDebouncedCallback((value: string) => {
    const next = value.trim() || undefined;
    written.current = next;
    write(next, Boolean(q) && Boolean(next));
  }, 250);
  const type = (value: string) => {
    setText(value);
    apply(value);
  };
  return { text, setText, type };
}
