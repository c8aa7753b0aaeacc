// RFC 8288 `Link` headers, as GitHub uses them for paging:
//   <https://api.github.com/repositories/1/issues?page=2>; rel="next", <...>; rel="last"

/** The URL of the link with the given relation (`next`, `last`, ...), or null. */
export function linkWithRelation(header: string | undefined, relation: string): string | null {
  if (!header) return null;
  for (const part of splitLinks(header)) {
    const match = /^\s*<([^>]*)>(.*)$/s.exec(part);
    if (!match) continue;
    const params = match[2].split(';').map((param) => param.trim());
    for (const param of params) {
      const rel = /^rel\s*=\s*"?([^"]*)"?$/i.exec(param);
      // rel may hold several space-separated relation types.
      if (rel && rel[1].split(/\s+/).includes(relation)) return match[1];
    }
  }
  return null;
}

/** Splits on the commas between links, not on commas inside `<...>` or quoted parameters. */
function splitLinks(header: string): string[] {
  const parts: string[] = [];
  let current = '';
  let inUrl = false;
  let inQuotes = false;
  for (const char of header) {
    if (char === '<' && !inQuotes) inUrl = true;
    else if (char === '>' && !inQuotes) inUrl = false;
    else if (char === '"' && !inUrl) inQuotes = !inQuotes;
    if (char === ',' && !inUrl && !inQuotes) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  if (current.trim() !== '') parts.push(current);
  return parts;
}
