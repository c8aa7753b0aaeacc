// The origin (`https://host[:port]`) a token belongs to and a request goes to. Its own module so the
// editor can compare origins without loading the HTTP client.

/** `https://host[:port]` of a URL text, or null when it is not an http(s) URL. */
export function originOf(urlText: string): string | null {
  try {
    const url = new URL(urlText);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}
