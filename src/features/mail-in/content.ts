import sanitizeHtml from 'sanitize-html';

const rasterDataImage = /^data:image\/(png|jpe?g|gif|webp);base64,/i;

/** The class of the text left where an image is not shown (styled by the page that shows the mail). */
export const hiddenImageClass = 'rapport-hidden-image';

/** 1×1 (or 0×0) images are tracking pixels: they vanish without a placeholder. */
const isTrackingPixel = (attribs: Record<string, string>) =>
  ['width', 'height'].some((name) => /^\s*[01](px)?\s*$/i.test(attribs[name] ?? ''));

/**
 * What stands in for an image that is not shown: its alt text (or "image") in brackets, so the
 * reader sees that something is missing. Never its address.
 */
function imagePlaceholder(attribs: Record<string, string>, title: string) {
  const alt = (attribs.alt ?? '').replace(/\s+/g, ' ').trim().slice(0, 200);
  return {
    tagName: 'span',
    attribs: { class: hiddenImageClass, title },
    text: alt ? `[image: ${alt}]` : '[image]',
  };
}

const isShownImage = (src: string | undefined) =>
  Boolean(src && (/^https:\/\//i.test(src) || rasterDataImage.test(src)));

/**
 * The HTML of an inbound mail made safe to show: no scripts, styles, forms, frames or event
 * handlers; links only to http(s)/mailto. Images keep only embedded (data:) raster images and
 * https sources; https images are replaced again when shown unless the reader asks for them
 * (see withoutRemoteImages), and the page's CSP blocks them as well. Any other image (http:,
 * SVG, an unresolved cid:) becomes a placeholder with its alt text; tracking pixels vanish.
 */
export function sanitizeMailHtml(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'font', 'center', 'span', 'u', 's'],
    allowedAttributes: {
      a: ['href', 'title', 'rel', 'target'],
      img: ['src', 'alt', 'width', 'height', 'title'],
      span: ['class', 'title'],
      td: ['colspan', 'rowspan', 'align', 'valign'],
      th: ['colspan', 'rowspan', 'align', 'valign'],
      table: ['cellpadding', 'cellspacing', 'border', 'width'],
      font: ['color', 'size'],
      '*': ['align', 'dir', 'lang'],
    },
    // Only our own placeholder class (added by the img transform below).
    allowedClasses: { span: [hiddenImageClass] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['https', 'data'] },
    allowProtocolRelative: false,
    exclusiveFilter: (frame) => frame.tag === 'img' && isTrackingPixel(frame.attribs),
    transformTags: {
      // The mail's own spans lose their class, so only a real placeholder carries ours.
      span: (tagName, { class: _class, ...attribs }) => ({ tagName, attribs }),
      a: (tagName, attribs) => ({
        tagName,
        attribs: { ...attribs, rel: 'noopener noreferrer nofollow', target: '_blank' },
      }),
      img: (tagName, attribs) =>
        isShownImage(attribs.src) || isTrackingPixel(attribs)
          ? { tagName, attribs }
          : imagePlaceholder(attribs, 'This image cannot be shown safely'),
    },
  });
}

/** Whether sanitised HTML shows images from the web (which withoutRemoteImages hides). */
export function hasRemoteImages(safeHtml: string): boolean {
  return remoteImagePattern.test(safeHtml);
}
/**
 * An https image in sanitised HTML (sanitize-html writes lower-case tags and "-quoted, escaped
 * values). Also valid as a PostgreSQL regular expression, which the message list uses.
 */
export const remoteImagePattern = /<img\s([^>]*\s)?src="https:/i;

/**
 * Replaces images loaded from the network (they tell the sender the mail was read) with a
 * placeholder showing their alt text; embedded images stay.
 */
export function withoutRemoteImages(safeHtml: string): string {
  return sanitizeHtml(safeHtml, {
    allowedTags: false,
    allowedAttributes: false,
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['data'] },
    allowVulnerableTags: false,
    transformTags: {
      img: (tagName, attribs) =>
        rasterDataImage.test(attribs.src ?? '')
          ? { tagName, attribs }
          : imagePlaceholder(attribs, 'Remote image, hidden to protect your privacy'),
    },
  });
}

/** The most text of one inbound mail kept in an item or message (the .eml keeps it all). */
export const mailTextLimit = 200_000;

const shortenedNote = (rest: number) =>
  `\n\n[… The message was shortened here: ${rest.toLocaleString('en-US')} more characters are ` +
  'only in the original email. It is kept as received; an admin can download it as an .eml file ' +
  'from the inbound mail log.]';

/**
 * The text of a mail, at most `limit` characters: a longer one is cut at a line break (else a
 * space) shortly before the limit, never inside a word, and ends with a note saying how much
 * is missing and where the whole mail is.
 */
export function shortenMailText(text: string, limit = mailTextLimit): string {
  if (text.length <= limit) return text;
  // The note for the whole length is at least as long as the note for what is left out.
  const room = limit - shortenedNote(text.length).length;
  if (room <= 0) return text.slice(0, Math.max(0, limit));
  // Look back at most 2,000 characters (1%) for a line break, else for any white space.
  const offset = Math.max(0, room - 2000);
  const window = text.slice(offset, room + 1);
  const lineBreak = window.lastIndexOf('\n');
  const space = window.search(/\s\S*$/);
  let cut = lineBreak >= 0 ? offset + lineBreak : space >= 0 ? offset + space : room;
  // Never split a surrogate pair (an emoji, say) at a hard cut.
  if (cut === room && /[\ud800-\udbff]/.test(text[cut - 1] ?? '')) cut -= 1;
  const kept = text.slice(0, cut).trimEnd();
  return kept + shortenedNote(text.length - kept.length);
}

const quoteHeaders = [
  /^On .{1,300}wrote:\s*$/,
  /^Le .{1,300}a écrit\s*:\s*$/,
  /^Am .{1,300}schrieb .{1,200}:\s*$/,
  /^-{2,}\s*Original Message\s*-{2,}\s*$/i,
  /^_{10,}\s*$/,
];
/** Outlook quotes the answered mail under "From: …" followed by "Sent: …" or "Date: …". */
const isOutlookQuote = (line: string, next: string | undefined) =>
  /^From: .+/.test(line) && /^(Sent|Date): /.test(next?.trim() ?? '');

/**
 * The new part of a customer's answer: drops the quoted history below it ("On … wrote:",
 * "-----Original Message-----", a trailing block of "> " lines). Returns the text unchanged
 * when nothing would be left.
 */
export function trimQuotedHistory(text: string): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  let cut = lines.length;
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!.trim();
    if (quoteHeaders.some((pattern) => pattern.test(line)) || isOutlookQuote(line, lines[index + 1])) {
      cut = index;
      break;
    }
  }
  // A trailing block made only of quoted lines (and blanks).
  let end = cut;
  while (end > 0 && (/^\s*>/.test(lines[end - 1]!) || lines[end - 1]!.trim() === '')) end -= 1;
  const kept = lines.slice(0, end).join('\n').trim();
  return kept.length > 0 ? kept : text.trim();
}
