// The part of sax (a strict, streaming XML parser) the JUnit tests use to check a report is well-formed XML.
declare module 'sax' {
  interface SaxTag {
    name: string;
    attributes: Record<string, string>;
  }
  interface SaxParser {
    onerror: (error: Error) => void;
    onopentag: (tag: SaxTag) => void;
    onclosetag: (name: string) => void;
    ontext: (text: string) => void;
    write(xml: string): SaxParser;
    close(): SaxParser;
  }
  export function parser(strict: boolean, options?: Record<string, unknown>): SaxParser;
}
