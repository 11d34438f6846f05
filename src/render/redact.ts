/**
 * Proxy URLs carry credentials (`http://user:pass@proxy:8080`). Anything that shows one to a
 * person goes through `redactUrl`.
 */

export const REDACTED = '***';

/**
 * Replaces the user name and password of a URL with `***`, keeping scheme, host, port and
 * path: `http://user:pass@proxy:8080` → `http://***:***@proxy:8080`.
 *
 * Works on the string rather than through `URL`, so nothing is normalised and a malformed
 * value is still redacted. The credentials end at the LAST `@`: a password with an
 * unencoded `@`, `/` or `#` is then hidden whole, at the price of hiding a path that holds an
 * `@` too (rare for a proxy, and over-hiding is the safe side).
 */
export function redactUrl(url: string): string {
  const scheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.exec(url)?.[0] ?? '';
  const rest = url.slice(scheme.length);
  const at = rest.lastIndexOf('@');
  if (at < 0) return url;
  const userInfo = rest.slice(0, at);
  const hidden = userInfo.includes(':') ? `${REDACTED}:${REDACTED}` : REDACTED;
  return `${scheme}${hidden}${rest.slice(at)}`;
}
