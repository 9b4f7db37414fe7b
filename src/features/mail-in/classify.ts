import type { ParsedMail } from 'mailparser';
import type { ItemKind } from '../../shared/listening.ts';

function headerText(mail: ParsedMail, name: string): string | null {
  const value = mail.headers.get(name);
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && 'value' in value && typeof value.value === 'string') return value.value;
  return String(value);
}

/**
 * Why a mail was sent by a machine (a bounce, an out-of-office, a list), or null when a person
 * wrote it. Such mail never creates an item and is never answered, so two robots cannot keep
 * writing to each other.
 */
export function automatedReason(mail: ParsedMail, envelopeFrom: string): string | null {
  if (envelopeFrom.trim() === '' || envelopeFrom.trim() === '<>') return 'bounce: empty return path';
  // Rapport's own mail coming back (a forward or alias pointing at the receiver).
  if (mail.headers.has('x-rapport-outbox-id')) return 'loop: sent by Rapport itself';
  const autoSubmitted = headerText(mail, 'auto-submitted');
  if (autoSubmitted && autoSubmitted.trim().toLowerCase() !== 'no')
    return `auto-reply: Auto-Submitted: ${autoSubmitted.trim().slice(0, 100)}`;
  for (const name of ['x-autoreply', 'x-autorespond', 'x-autoresponse', 'x-failed-recipients']) {
    if (mail.headers.has(name)) return `auto-reply: ${name} header`;
  }
  const precedence = headerText(mail, 'precedence')?.trim().toLowerCase();
  if (precedence && ['bulk', 'junk', 'auto_reply', 'list'].includes(precedence))
    return `auto-reply: Precedence: ${precedence}`;
  const contentType = headerText(mail, 'content-type')?.toLowerCase();
  if (contentType?.startsWith('multipart/report')) return 'bounce: delivery report (multipart/report)';
  const sender = mail.from?.value[0]?.address?.toLowerCase() ?? '';
  const local = sender.split('@')[0] ?? '';
  if (['mailer-daemon', 'postmaster'].includes(local) || local.startsWith('mailer-daemon'))
    return `bounce: sent by ${sender}`;
  return null;
}

/** Words that suggest each kind; a match in the subject counts twice. */
const kindWords: [ItemKind, RegExp][] = [
  [
    'complaint',
    /\b(complain\w*|broken|faulty|damaged|defective|refund|unacceptable|disappointed|disappointing|terrible|awful|horrible|worst|angry|furious|not working|doesn't work|does not work|didn't work|stopped working|won't start|failed|failure|never arrived|overcharged|rude)\b/gi,
  ],
  [
    'praise',
    /\b(thank you|thanks|great job|well done|excellent|amazing|wonderful|brilliant|fantastic|love it|loved|kudos|impressed|superb)\b/gi,
  ],
  [
    'suggestion',
    /\b(suggest\w*|idea|it would be (nice|great|good) if|would be nice|could you add|please add|feature request|improve\w*|wish)\b/gi,
  ],
  [
    'request',
    /\b(please send|please change|please cancel|please update|request\w*|i need|we need|i would like|i'd like|cancel my|change my|update my|send me)\b/gi,
  ],
  [
    'question',
    /(\?|\b(how do|how can|how to|what is|when will|where is|why does|why is|is it possible|can i|could you tell)\b)/gi,
  ],
];

/**
 * A first guess at the kind of a new mail from its words (staff can change it). The kind with
 * most matches wins, ties going to the order above (a complaint that says "thanks" is still a
 * complaint); with no match at all it is an opinion.
 */
export function guessKind(subject: string, body: string): ItemKind {
  let best: ItemKind = 'opinion';
  let bestScore = 0;
  const text = body.slice(0, 20_000);
  for (const [kind, pattern] of kindWords) {
    const score = 2 * (subject.match(pattern)?.length ?? 0) + (text.match(pattern)?.length ?? 0);
    if (score > bestScore) {
      best = kind;
      bestScore = score;
    }
  }
  return best;
}
