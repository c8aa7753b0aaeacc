// Reading a CODEOWNERS file (GitHub's and GitLab's syntax) for the path patterns it assigns. Only the
// patterns matter here: `init` and the editor's starter turn the folders they name into services. The
// file is the repository's, so anything may be in it; a pattern is returned as written (escapes
// undone), and whoever writes it anywhere escapes it for that medium.

/** One rule's path pattern and the line (1-based) it is on. */
export interface CodeownersRule {
  pattern: string;
  line: number;
}

/** The files GitHub reads CODEOWNERS from, in the order it looks for them (the first found is used). */
export const CODEOWNERS_LOCATIONS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'] as const;

/**
 * The first token of a rule line: its pattern. A backslash escapes the next character (`\ ` a space
 * inside the pattern, `\#` a pattern starting with `#`); an unescaped space or tab ends the pattern.
 */
function leadingPattern(line: string): string {
  let pattern = '';
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (char === '\\' && i + 1 < line.length) {
      pattern += line[++i];
      continue;
    }
    if (char === ' ' || char === '\t') break;
    pattern += char;
  }
  return pattern;
}

/**
 * The rules of a CODEOWNERS file, in file order. Comments, blank lines and GitLab's section headers
 * (`[Section]`, `^[Optional section]`) are no rules.
 */
export function parseCodeowners(text: string): CodeownersRule[] {
  const rules: CodeownersRule[] = [];
  text.split(/\r\n|\n|\r/).forEach((raw, index) => {
    const line = raw.replace(/^[ \t]+/, '');
    if (line === '' || line.startsWith('#') || line.startsWith('[') || line.startsWith('^[')) return;
    const pattern = leadingPattern(line);
    if (pattern !== '') rules.push({ pattern, line: index + 1 });
  });
  return rules;
}
