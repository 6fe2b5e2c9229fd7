// Next.js middleware matchers (`config.matcher`, Clerk's createRouteMatcher) as regular
// expressions over route paths. Matchers are path-to-regexp patterns: `:name` one segment,
// `:name*` zero or more, `:name+` one or more, `:name?` optional, `(…)` raw regular expression
// groups (negative lookaheads such as `/((?!api|_next/static).*)` included). A pattern that
// does not compile gives undefined: the caller treats it as matching nothing.

const MAX_PATTERN = 500;

export function matcherRegExp(pattern: string): RegExp | undefined {
  if (pattern.length > MAX_PATTERN || !pattern.startsWith('/')) return undefined;
  let re = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '(') {
      // A raw group up to its balanced closing parenthesis.
      let depth = 0;
      let j = i;
      for (; j < pattern.length; j++) {
        const x = pattern[j];
        if (x === '\\') {
          j++;
          continue;
        }
        if (x === '(') depth++;
        else if (x === ')' && --depth === 0) break;
      }
      if (depth !== 0 && j >= pattern.length) return undefined;
      re += pattern.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    const slashParam = /^\/?:([A-Za-z_$][\w$]*)(\([^)]*\))?([*+?])?/.exec(pattern.slice(i));
    if (slashParam && (c === ':' || pattern[i + 1] === ':')) {
      const slash = c === '/' ? '/' : '';
      const body = slashParam[2] ? slashParam[2].slice(1, -1) : '[^/]+?';
      const mod = slashParam[3];
      if (mod === '*') re += `(?:${slash}${body}(?:/${body})*)?`;
      else if (mod === '+') re += `${slash}${body}(?:/${body})*`;
      else if (mod === '?') re += `(?:${slash}${body})?`;
      else re += `${slash}${body}`;
      i += slashParam[0].length;
      continue;
    }
    if (c === '*') {
      // Not path-to-regexp syntax on its own; read as "anything" the way people mean it.
      re += '.*';
      i++;
      continue;
    }
    re += c.replace(/[.+?^${}|[\]\\]/g, '\\$&');
    i++;
  }
  try {
    return new RegExp(`^${re}/?$`, 'i');
  } catch {
    return undefined;
  }
}

/** A sample concrete path for a route path with dynamic segments: `[id]` → `x1`, `[...slug]` → `x1/x2`, `[[...slug]]` → `x1`. */
export function samplePath(route: string): string {
  return route
    .replace(/\[\[\.\.\.[^\]]+\]\]/g, 'x1')
    .replace(/\[\.\.\.[^\]]+\]/g, 'x1/x2')
    .replace(/\[[^\]]+\]/g, 'x1')
    .replace(/:[A-Za-z_$][\w$]*/g, 'x1');
}

/** Whether any of the patterns matches the route; patterns that do not compile match nothing. */
export function anyMatches(patterns: readonly string[], route: string): boolean {
  const p = samplePath(route);
  return patterns.some((m) => matcherRegExp(m)?.test(p) ?? false);
}
