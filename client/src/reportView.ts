// The report webview's page, without VS Code: the server's HTML assessment with the
// webview's Content-Security-Policy enforced (inline styles only: no script, no fetch),
// and the short pages shown while there is no report.
/** The view type of the report's webview panel. */
export const REPORT_VIEW_TYPE = 'readiness.report';
export const REPORT_TITLE = 'Readiness Report';

/**
 * Only inline styles apply and nothing loads: the page has no scripts and needs none.
 * (The same policy as the HTML report's own; kept here so the extension does not bundle the formatter.)
 */
export const WEBVIEW_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const CSP_META = /<meta\s+http-equiv\s*=\s*["']?content-security-policy["']?[^>]*>\r?\n?/gi;

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * The page for the webview: whatever policy the HTML carries is replaced by the webview's,
 * placed first in <head> so that it governs everything after it.
 */
export function webviewHtml(html: string): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${WEBVIEW_CSP}">`;
  const stripped = html.replace(CSP_META, '');
  const head = /<head[^>]*>/i.exec(stripped);
  if (head) return `${stripped.slice(0, head.index + head[0].length)}\n${meta}${stripped.slice(head.index + head[0].length)}`;
  return `<!DOCTYPE html>\n<html lang="en">\n<head>\n${meta}\n</head>\n<body>\n${stripped}\n</body>\n</html>\n`;
}

/** A one-paragraph page, e.g. while the first analysis runs. */
export function messageHtml(message: string): string {
  return webviewHtml(`<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${REPORT_TITLE}</title>\n</head>\n<body>\n<p>${escapeHtml(message)}</p>\n</body>\n</html>\n`);
}

/**
 * Renders only the newest request's answer: a report that changes while an older render
 * is in flight must not be overwritten by the older page when it arrives late.
 */
export class LatestRender {
  private seq = 0;

  /** Starts a render; the returned function tells whether it is still the newest. */
  begin(): () => boolean {
    const mine = ++this.seq;
    return () => mine === this.seq;
  }
}
