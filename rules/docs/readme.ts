// docs/readme: the repository has a README at its root that says how to run or deploy the
// software — a section headed Install/Usage/Running/Getting started/Setup/Deploy/Development
// (…), or a code block with a command that installs, runs, builds or deploys it. READMEs are
// read with a Markdown parser (markdown-it), reStructuredText and plain text by their section
// underlines and code directives. One verdict for the repository; services with a README of
// their own are named in the evidence.
import { defineRule, type CheckContext } from '../../server/src/engine/rule';
import type { Evidence, SourceFile } from '../../server/src/engine/types';
import { isRunBlock, runHeadings } from '../lib/docs';
import { firstLine, isProject, listOf, REPOSITORY_KINDS, repositoryAnchor, rootReadme } from '../lib/repo';

const README = /^readme(\.(md|markdown|rst|txt))?$/i;
const MAX_EVIDENCE = 6;

function serviceReadmes(ctx: CheckContext): { service: string; file: SourceFile }[] {
  // The first README directly in each service's directory, in file order: files indexed by directory once.
  const firstReadme = new Map<string, SourceFile>();
  for (const f of ctx.files) {
    const slash = f.path.lastIndexOf('/');
    if (slash < 0) continue;
    const dir = f.path.slice(0, slash);
    if (!firstReadme.has(dir) && README.test(f.path.slice(slash + 1))) firstReadme.set(dir, f);
  }
  const out: { service: string; file: SourceFile }[] = [];
  for (const s of ctx.services) {
    if (s.root === '.') continue;
    const file = firstReadme.get(s.root);
    if (file) out.push({ service: s.name, file });
  }
  return out;
}

export default defineRule({
  meta: {
    id: 'docs/readme',
    category: 'documentation',
    weight: 2,
    severity: 'info',
    scope: 'workspace',
    title: 'A README says how to run and deploy',
    summary: 'a README with run/deploy instructions',
    appliesTo: REPOSITORY_KINDS,
    subjects: { singular: 'repository', plural: 'repositories', passing: 'have a README with run/deploy instructions' },
    messages: {
      missing: 'The repository has no README (looked for README.md, README.rst, README.txt at the root)',
      onlyServices: 'The repository has no README at its root; only {services} have their own',
      titleOnly: "{file} has only a title: add how to install, run and deploy",
      noInstructions: '{file} does not say how to run or deploy: no Install/Usage/Running/Getting started/Deploy section and no command block',
    },
  },
  check(ctx) {
    if (!isProject(ctx)) return;
    const subject = { key: 'repository' };
    const services = serviceReadmes(ctx);
    const serviceEvidence: Evidence[] = services.map((s) => ({ file: s.file.path, span: firstLine(s.file), note: `service '${s.service}' has its own README` }));
    const readme = rootReadme(ctx.files);
    if (!readme) {
      const anchor = repositoryAnchor(ctx.files);
      if (!anchor) return;
      const evidence: Evidence[] = [{ note: 'looked for README.md, README.rst, README.txt at the root; found none' }, ...serviceEvidence];
      if (services.length > 0) {
        ctx.verdict({ subject, status: 'partial', evidence, report: { ...anchor, messageId: 'onlyServices', data: { services: listOf(services.map((s) => `'${s.service}'`)) } } });
      } else {
        ctx.verdict({ subject, status: 'fail', evidence, report: { ...anchor, messageId: 'missing' } });
      }
      return;
    }
    const facts = readme.facts.markdown ?? { headings: [], code: [], paragraphs: 0 };
    const headings = runHeadings(facts.headings);
    const blocks = facts.code.filter(isRunBlock);
    if (headings.length > 0 || blocks.length > 0) {
      const evidence: Evidence[] = [
        ...headings.slice(0, MAX_EVIDENCE).map((h) => ({ file: readme.path, span: h.span, note: `section '${h.text}'` })),
        ...blocks.slice(0, MAX_EVIDENCE).map((c) => ({ file: readme.path, span: c.span, note: `command block: ${c.firstLine}` })),
        ...serviceEvidence,
      ];
      ctx.verdict({ subject, status: 'pass', evidence });
      return;
    }
    const titleOnly = facts.paragraphs === 0 && facts.code.length === 0 && facts.headings.length <= 1;
    ctx.verdict({
      subject,
      status: titleOnly ? 'fail' : 'partial',
      evidence: [
        { file: readme.path, span: firstLine(readme), note: `${readme.path}: ${facts.headings.length} heading${facts.headings.length === 1 ? '' : 's'}, ${facts.code.length} code block${facts.code.length === 1 ? '' : 's'}; none says how to install, run or deploy` },
        ...serviceEvidence,
      ],
      report: { file: readme.path, span: firstLine(readme), messageId: titleOnly ? 'titleOnly' : 'noInstructions', data: { file: readme.path } },
    });
  },
});
