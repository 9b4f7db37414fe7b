import sanitizeHtml from 'sanitize-html';

const rasterDataImage = /^data:image\/(png|jpe?g|gif|webp);base64,/i;

/**
 * The HTML of an inbound mail made safe to show: no scripts, styles, forms, frames or event
 * handlers; links only to http(s)/mailto. Images keep only embedded (data:) raster images and
 * https sources; https images are removed again when shown unless the reader asks for them
 * (see withoutRemoteImages), and the page's CSP blocks them as well.
 */
export function sanitizeMailHtml(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'font', 'center', 'span', 'u', 's'],
    allowedAttributes: {
      a: ['href', 'title', 'rel', 'target'],
      img: ['src', 'alt', 'width', 'height', 'title'],
      td: ['colspan', 'rowspan', 'align', 'valign'],
      th: ['colspan', 'rowspan', 'align', 'valign'],
      table: ['cellpadding', 'cellspacing', 'border', 'width'],
      font: ['color', 'size'],
      '*': ['align', 'dir', 'lang'],
    },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['https', 'data'] },
    allowProtocolRelative: false,
    exclusiveFilter: (frame) =>
      frame.tag === 'img' &&
      !(
        frame.attribs.src &&
        (/^https:\/\//i.test(frame.attribs.src) || rasterDataImage.test(frame.attribs.src))
      ),
    transformTags: {
      a: (tagName, attribs) => ({
        tagName,
        attribs: { ...attribs, rel: 'noopener noreferrer nofollow', target: '_blank' },
      }),
    },
  });
}

/** Removes images loaded from the network (they tell the sender the mail was read). */
export function withoutRemoteImages(safeHtml: string): string {
  return sanitizeHtml(safeHtml, {
    allowedTags: false,
    allowedAttributes: false,
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['data'] },
    allowVulnerableTags: false,
    exclusiveFilter: (frame) => frame.tag === 'img' && !rasterDataImage.test(frame.attribs.src ?? ''),
  });
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
