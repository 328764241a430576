/**
 * What the hub checks before it routes a request. The hub listens on 127.0.0.1, but any page
 * the attendee visits can make their browser send it requests (an <img>, a form, a fetch), and
 * a DNS-rebinding page can even read the answers. So: only the names this machine is reached by,
 * only GET and HEAD (and the one POST, from the hub's own pages), a path that decodes, and
 * headers that stop a page from running script that a README or a deck smuggled in.
 */

/** Script only from the hub's own files (no inline script, so raw HTML in Markdown cannot run any), and no framing. */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  // Diagrams and highlighted code carry style attributes; styles cannot run script.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export const securityHeaders: Readonly<Record<string, string>> = {
  "content-security-policy": contentSecurityPolicy,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cross-origin-resource-policy": "same-origin",
};

/**
 * The Host header must name this machine at the hub's port. A rebinding page reaches the hub
 * with its own name in Host (evil.example:18080), and that is how it is told apart.
 */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  if (host === undefined) return false;
  const allowed = ["127.0.0.1", "localhost", "[::1]"].map((name) => `${name}:${port}`);
  return allowed.includes(host.toLowerCase());
}

/** A POST must come from the hub's own pages: an Origin, when the browser sends one, of the same host. "null" (a sandboxed frame) is not. */
export function isOwnOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true; // not a browser's cross-site request: curl, the tests
  try {
    const url = new URL(origin);
    return (url.protocol === "http:" || url.protocol === "https:") && url.host === host;
  } catch {
    return false;
  }
}

/** The methods each kind of route answers; anything else is a 405 with an Allow header. */
export function allowedMethods(route: string): string[] {
  return /^\/api\/(run|hint)\//.test(route) ? ["POST"] : ["GET", "HEAD"];
}

export class BadRequestPath extends Error {
  override readonly name = "BadRequestPath";
}

/** The request's path, percent-decoded; a malformed encoding (`/%`, `/%zz`) or a NUL byte is the client's mistake, a 400. */
export function decodeRoute(rawUrl: string | undefined): string {
  let pathname: string;
  try {
    pathname = new URL(rawUrl ?? "/", "http://hub").pathname;
  } catch {
    throw new BadRequestPath("The request's URL does not parse.");
  }
  let route: string;
  try {
    route = decodeURIComponent(pathname);
  } catch {
    throw new BadRequestPath(`The path ${pathname} has a malformed percent-encoding.`);
  }
  if (route.includes("\0")) throw new BadRequestPath("The path holds a NUL byte.");
  return route;
}
