import helmet from 'helmet';

/**
 * The Content-Security-Policy of a page Helix serves (the API reference, the queue board, the console):
 * its own scripts, styles and API only, never a CDN (a bank's network reaches none), never framed.
 * `inlineStyles` for pages whose libraries set style attributes; `imageOrigins` for images from elsewhere;
 * `framedBy` for the one page another origin may frame (the RM sidebar inside the WeCom emulator's chat
 * window, in development only: real WeCom opens it in its own webview, unframed).
 */
export function pageCsp(
  opts: { inlineStyles?: boolean; imageOrigins?: readonly string[]; framedBy?: readonly string[] } = {},
) {
  return helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: opts.inlineStyles ? ["'self'", "'unsafe-inline'"] : ["'self'"],
      imgSrc: ["'self'", 'data:', ...(opts.imageOrigins ?? [])],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: opts.framedBy?.length ? [...opts.framedBy] : ["'none'"],
    },
  });
}
