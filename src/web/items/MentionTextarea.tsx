import { Combobox, Text, Textarea, type TextareaProps, useCombobox } from '@mantine/core';
import { useMergedRef } from '@mantine/hooks';
import { type Ref, useRef, useState } from 'react';
import type { StaffUser } from './api.ts';

/** How a user is mentioned in a note: @ + the name without spaces (the server matches that). */
export const mentionHandle = (user: StaffUser) => `@${user.name.replace(/\s+/g, '')}`;

/** The "@partial" word just before the caret, if the caret is in one. */
function mentionAt(text: string, caret: number): { start: number; query: string } | null {
  const match = /(^|[^\p{L}\p{N}_])@([\p{L}\p{N}._-]*)$/u.exec(text.slice(0, caret));
  if (!match) return null;
  return { start: caret - match[2]!.length - 1, query: match[2]!.toLowerCase() };
}

/** A textarea that offers staff names after "@" (arrows + Enter or Tab to pick, Esc to dismiss). */
export function MentionTextarea({
  value,
  onChange,
  staff,
  ref: externalRef,
  ...props
}: Omit<TextareaProps, 'value' | 'onChange'> & {
  ref?: Ref<HTMLTextAreaElement>;
  value: string;
  onChange: (value: string) => void;
  staff: StaffUser[];
}) {
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  const ref = useRef<HTMLTextAreaElement>(null);
  const mergedRef = useMergedRef(ref, externalRef);
  const [mention, setMention] = useState<{ start: number; query: string } | null>(null);
  const matches = mention
    ? staff
        .filter((user) => {
          const handle = mentionHandle(user).slice(1).toLowerCase();
          return handle.includes(mention.query) || user.name.toLowerCase().includes(mention.query);
        })
        .slice(0, 8)
    : [];

  const update = (text: string, caret: number) => {
    onChange(text);
    const found = mentionAt(text, caret);
    setMention(found);
    if (found) {
      combobox.openDropdown();
      combobox.selectFirstOption();
    } else combobox.closeDropdown();
  };
  const pick = (id: string) => {
    const user = staff.find((u) => u.id === id);
    const area = ref.current;
    if (!user || !mention || !area) return;
    const caret = area.selectionStart ?? value.length;
    const inserted = `${mentionHandle(user)} `;
    const next = value.slice(0, mention.start) + inserted + value.slice(caret);
    onChange(next);
    setMention(null);
    combobox.closeDropdown();
    const position = mention.start + inserted.length;
    requestAnimationFrame(() => {
      area.focus();
      area.setSelectionRange(position, position);
    });
  };

  return (
    <Combobox store={combobox} onOptionSubmit={pick} position="bottom-start" width={280}>
      <Combobox.Target>
        <Textarea
          {...props}
          ref={mergedRef}
          value={value}
          onChange={(event) => update(event.currentTarget.value, event.currentTarget.selectionStart ?? 0)}
          onBlur={() => combobox.closeDropdown()}
          onKeyDown={(event) => {
            if (combobox.dropdownOpened && matches.length > 0 && event.key === 'Tab') {
              event.preventDefault();
              combobox.clickSelectedOption();
            }
            props.onKeyDown?.(event);
          }}
        />
      </Combobox.Target>
      <Combobox.Dropdown hidden={!mention || matches.length === 0}>
        <Combobox.Options aria-label="Mention someone">
          {matches.map((user) => (
            <Combobox.Option value={user.id} key={user.id}>
              <Text size="sm">{user.name}</Text>
              <Text size="xs" c="dimmed">
                {mentionHandle(user)}
              </Text>
            </Combobox.Option>
          ))}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}
