// The HTML assessment: the Markdown report's content in one self-contained page (inline
// CSS and SVG, no scripts, no network), with a bar chart of category scores.
import type { ScanOutcome } from '../../engine/index';
import type { Rule } from '../../engine/rule';
import { buildAssessment, placeOf, PRIORITY_TITLES, STATUS_ICONS, STATUS_WORDS, type Assessment, type AssessmentOptions, type CategorySection, type Citation, type Priority } from './assessment';
import { impactText } from './markdown';

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Only http(s) links are rendered as links. */
function href(url: string): string | undefined {
  return /^https?:\/\//i.test(url) ? esc(url) : undefined;
}

function link(url: string, inner: string): string {
  const h = href(url);
  return h ? `<a href="${h}">${inner}</a>` : inner;
}

function citation(c: Citation): string {
  const place = placeOf(c);
  return place ? `<code>${esc(place)}</code> — ${esc(c.text)}` : esc(c.text);
}

function citationList(citations: readonly Citation[], more: number, noun: string): string {
  if (citations.length === 0 && more === 0) return '';
  const items = citations.map((c) => `<li>${citation(c)}</li>`);
  if (more > 0) items.push(`<li class="more">and ${more} more ${noun}${more === 1 ? '' : 's'}</li>`);
  return `<ul class="cite">${items.join('')}</ul>`;
}

function barColour(score: number): string {
  if (score >= 90) return '#2e7d32';
  if (score >= 75) return '#689f38';
  if (score >= 50) return '#f9a825';
  return '#c62828';
}

/** Horizontal bars, one per category; categories without a score are drawn as "n/a". */
export function categoryChart(categories: readonly CategorySection[]): string {
  const rowH = 28;
  const labelW = 130;
  const barW = 300;
  const width = labelW + barW + 70;
  const height = categories.length * rowH + 10;
  const rows = categories.map((c, i) => {
    const y = 5 + i * rowH;
    const label = `<text x="${labelW - 8}" y="${y + 18}" text-anchor="end">${esc(c.label)}</text>`;
    const track = `<rect x="${labelW}" y="${y + 4}" width="${barW}" height="${rowH - 10}" fill="#eceff1" rx="3"/>`;
    if (c.score === null) return `${label}${track}<text x="${labelW + barW + 8}" y="${y + 18}" fill="#78909c">n/a</text>`;
    const w = Math.round((barW * Math.max(0, Math.min(100, c.score))) / 100);
    return `${label}${track}<rect x="${labelW}" y="${y + 4}" width="${w}" height="${rowH - 10}" fill="${barColour(c.score)}" rx="3"/><text x="${labelW + barW + 8}" y="${y + 18}">${c.score}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Category scores" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="13">${rows.join('')}</svg>`;
}

const STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1f2933; line-height: 1.45; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #d9e2ec; padding-bottom: .2rem; }
table { border-collapse: collapse; margin: .5rem 0; } th, td { border: 1px solid #d9e2ec; padding: .25rem .6rem; text-align: left; }
td.num { text-align: right; } code { background: #f0f4f8; padding: 0 .2rem; border-radius: 3px; }
ul.checks { list-style: none; padding-left: 0; } ul.checks > li { margin: .4rem 0; } ul.cite { margin: .2rem 0 .2rem 1.6rem; font-size: .92rem; }
li.more { color: #52606d; } .score { font-size: 1.3rem; font-weight: 600; } .meta { color: #52606d; }
footer { margin-top: 2rem; color: #52606d; font-size: .9rem; }
`;

export function renderHtml(a: Assessment): string {
  const out: string[] = [];
  out.push('<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8">');
  out.push(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
  out.push('<meta name="viewport" content="width=device-width, initial-scale=1">');
  out.push(`<title>${esc(a.title)}</title>`, `<style>${STYLE}</style>`, '</head>', '<body>');
  out.push(`<h1>${esc(a.title)}</h1>`);
  out.push(`<p class="meta">Date: ${esc(a.date)} · Tool: ${esc(a.tool.name)} ${esc(a.tool.version)} · Roots: ${a.roots.map((r) => `<code>${esc(r)}</code>`).join(', ')}</p>`);
  out.push(`<p class="score">${a.overall === null ? 'Overall score: Not assessed' : `Overall score: ${a.overall}/100 — ${esc(a.grade)}`}</p>`);

  out.push('<h2>Summary</h2>', '<ul>');
  for (const line of a.overview) out.push(`<li>${line.map((p) => (typeof p === 'string' ? esc(p) : `<code>${esc(p.code)}</code>`)).join('')}</li>`);
  if (a.services.length > 0) out.push(`<li>Services: ${a.services.map((s) => `${esc(s.name)} (${esc(s.kind)}, <code>${esc(s.root)}</code>)`).join(', ')}.</li>`);
  out.push('</ul>');

  out.push('<h2>Category scores</h2>', categoryChart(a.categories));
  out.push('<table>', '<thead><tr><th>Category</th><th>Score</th><th>Weight</th><th>Checks applicable</th></tr></thead>', '<tbody>');
  for (const c of a.categories) {
    out.push(`<tr><td>${esc(c.label)}</td><td class="num">${c.score === null ? 'n/a' : `${c.score}/100`}</td><td class="num">${c.weight}</td><td class="num">${c.applicable} of ${c.checks}</td></tr>`);
  }
  out.push(`<tr><th>Overall</th><th class="num">${a.overall === null ? 'n/a' : `${a.overall}/100`}</th><td></td><td></td></tr>`, '</tbody>', '</table>');

  for (const c of a.categories) {
    if (c.checks === 0) continue;
    out.push(`<h2>${esc(c.label)} — ${c.score === null ? 'not applicable' : `${c.score}/100`}</h2>`, '<ul class="checks">');
    for (const l of c.lines) {
      const suppressed = l.suppressed > 0 ? ` (${l.suppressed} suppressed)` : '';
      out.push(
        `<li><span title="${esc(STATUS_WORDS[l.status])}">${STATUS_ICONS[l.status]}</span> <strong>${esc(l.title)}</strong> (${link(l.helpUri, `<code>${esc(l.id)}</code>`)}) — ${esc(l.summary)}${suppressed}${citationList(l.citations, l.more, 'item')}</li>`,
      );
    }
    out.push('</ul>');
  }

  out.push('<h2>Action plan</h2>');
  if (a.plan.length === 0) out.push('<p>Nothing to do: no unsuppressed findings and no failing security check.</p>');
  for (const p of ['P0', 'P1', 'P2'] as Priority[]) {
    const items = a.plan.filter((i) => i.priority === p);
    if (items.length === 0) continue;
    out.push(`<h3>${esc(PRIORITY_TITLES[p])}</h3>`, '<ol>');
    for (const i of items) {
      const impact = impactText(i.impact);
      out.push(
        `<li><strong>${link(i.helpUri, esc(i.title))}</strong> (<code>${esc(i.ruleId)}</code>, ${esc(i.category)}) — ${esc(i.reason)}${impact ? `; ${esc(impact)}` : ''}.${i.goal ? `<br>Goal: ${esc(i.goal)}.` : ''}${citationList(i.citations, i.more, 'finding')}</li>`,
      );
    }
    out.push('</ol>');
  }

  if (a.suppressed.length > 0) {
    out.push('<h2>Suppressed findings</h2>', '<table>', '<thead><tr><th>Rule</th><th>Location</th><th>Suppressed by</th><th>Reason</th></tr></thead>', '<tbody>');
    for (const s of a.suppressed) {
      out.push(`<tr><td>${link(s.helpUri, `<code>${esc(s.ruleId)}</code>`)}</td><td><code>${esc(`${s.file}:${s.line}`)}</code></td><td>${esc(s.via)}</td><td>${s.reason !== undefined ? esc(s.reason) : '<em>no reason given</em>'}</td></tr>`);
    }
    out.push('</tbody>', '</table>');
  }
  if (a.errors.length > 0) out.push('<h2>Files that could not be parsed</h2>', citationList(a.errors, 0, 'error'));
  if (a.skipped.length > 0) {
    out.push('<h2>Skipped files</h2>', '<ul>');
    for (const s of a.skipped) out.push(`<li><code>${esc(s.file)}</code> — ${esc(s.reason)}</li>`);
    if (a.skippedMore > 0) out.push(`<li class="more">and ${a.skippedMore} more</li>`);
    out.push('</ul>');
  }
  if (a.notAnalysed.length > 0) {
    out.push('<h2>Not analysed</h2>', '<ul>');
    for (const [lang, n] of a.notAnalysed) out.push(`<li>${esc(lang)}: ${n} file${n === 1 ? '' : 's'}</li>`);
    out.push('</ul>');
  }
  out.push(`<footer>Generated by ${esc(a.tool.name)} ${esc(a.tool.version)} from the files in the scanned roots; each finding cites its file and line.</footer>`);
  out.push('</body>', '</html>', '');
  return out.join('\n');
}

export function formatHtml(outcome: ScanOutcome, rules: readonly Rule[], opts: AssessmentOptions): string {
  return renderHtml(buildAssessment(outcome, rules, opts));
}
