// docker/secret-in-build: no secret baked into an image or its build. An ENV or ARG whose
// name looks secret (or whose value is a connection string with a password) must not carry
// a literal value, and COPY/ADD must not put secret files (.env, private keys, key and
// certificate files) into an image. Every stage counts: build stages end up in the build
// cache and the image history even when the final stage leaves them behind.
import { defineRule } from '../../server/src/engine/rule';
import type { DfCopy, DfProperty, DfStage, DfText } from '../../server/src/engine/parse/dockerfile';
import type { TextEdit } from '../../server/src/engine/types';
import { currentFacts, dockerfiles, stageLabel } from '../lib/dockerfile';
import { connectionPassword, isSecretName, looksLikeFilePath, looksLikePlaceholder, splitWords } from '../lib/secret-names';

type ValueCause = 'literal' | 'connectionPassword';

/** A variable reference anywhere in the value (`${X}`, `$X`): the value is not a literal. */
function hasReference(value: string): boolean {
  return /\$(?:\{[A-Za-z_]|[A-Za-z_])/.test(value);
}

function valueCause(name: string, value: string): ValueCause | undefined {
  if (value.trim() === '' || hasReference(value) || looksLikePlaceholder(value)) return undefined;
  const password = connectionPassword(value);
  if (isSecretName(name)) {
    if (looksLikeFilePath(value)) return undefined;
    if (password !== undefined && looksLikePlaceholder(password)) return undefined;
    return 'literal';
  }
  if (password !== undefined && !looksLikePlaceholder(password)) return 'connectionPassword';
  return undefined;
}

type FileCause = 'dotenv' | 'privateKey' | 'keyFile' | 'registryConfig';

const DOTENV_TEMPLATES = new Set(['example', 'sample', 'template', 'dist', 'defaults', 'default', 'tpl', 'schema']);
const SSH_KEYS = new Set(['id_rsa', 'id_dsa', 'id_ecdsa', 'id_ed25519', 'id_ecdsa_sk', 'id_ed25519_sk']);
const KEY_EXTENSIONS = ['.pem', '.key', '.p12', '.pfx', '.jks', '.keystore'];
/** Words that make a .pem a public certificate (a CA bundle, a chain), not a key. */
const PUBLIC_CERT_WORDS = new Set(['ca', 'cacert', 'cacerts', 'cert', 'certs', 'certificate', 'chain', 'fullchain', 'bundle', 'public', 'pub', 'root', 'trust', 'truststore']);
const REGISTRY_CONFIGS = new Set(['.npmrc', '.yarnrc.yml', '.pypirc', '.netrc', '.gem/credentials']);

/** What kind of secret file a COPY/ADD source is, by its last path component. */
function fileCause(source: string): FileCause | undefined {
  const trimmed = source.replace(/\/+$/, '');
  const name = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  const lower = name.toLowerCase();
  if (lower === '.env') return 'dotenv';
  if (lower.startsWith('.env.')) {
    const rest = lower.slice(5).split('.');
    return rest.some((p) => DOTENV_TEMPLATES.has(p)) ? undefined : 'dotenv';
  }
  if (SSH_KEYS.has(lower) || lower === '.ssh') return 'privateKey';
  const ext = KEY_EXTENSIONS.find((e) => lower.endsWith(e) && lower.length > e.length);
  if (ext) {
    if (ext === '.pem' && splitWords(lower.slice(0, -ext.length)).some((w) => PUBLIC_CERT_WORDS.has(w))) return undefined;
    return 'keyFile';
  }
  if (REGISTRY_CONFIGS.has(lower)) return 'registryConfig';
  return undefined;
}

interface ValueFixData {
  keyword: 'ENV' | 'ARG';
  name: string;
  /** Where the instruction started when reported (to find it again in the current text). */
  instructionStart: number;
}

function isValueFixData(v: unknown): v is ValueFixData {
  if (typeof v !== 'object' || v === null) return false;
  const d = v as Record<string, unknown>;
  return (d.keyword === 'ENV' || d.keyword === 'ARG') && typeof d.name === 'string' && typeof d.instructionStart === 'number';
}

/** ENV/ARG properties of the file's current text, by instruction. */
function currentProperties(stages: readonly DfStage[], globalArgs: readonly DfProperty[], keyword: 'ENV' | 'ARG'): DfProperty[] {
  return keyword === 'ARG' ? [...globalArgs, ...stages.flatMap((s) => s.args)] : stages.flatMap((s) => s.env);
}

export default defineRule({
  meta: {
    id: 'docker/secret-in-build',
    category: 'security',
    weight: 5,
    severity: 'error',
    scope: 'location',
    title: 'Builds carry no secrets',
    summary: 'no secret-looking ENV/ARG with a literal value; no COPY/ADD of .env files, private keys or key files',
    occurrence: true,
    appliesTo: ['dockerfile'],
    subjects: { singular: 'Dockerfile', plural: 'Dockerfiles', passing: 'carry no secrets' },
    messages: {
      envLiteral: "ENV '{name}' bakes a literal secret into the image, where anyone who can pull it reads it (docker inspect, docker history); pass it at run time instead",
      argLiteral: "ARG '{name}' has a literal secret as its default, which stays in the Dockerfile and the image history; use a build secret (RUN --mount=type=secret) instead",
      envConnectionPassword: "ENV '{name}' bakes a connection string with a literal password into the image; pass it at run time instead",
      argConnectionPassword: "ARG '{name}' has a connection string with a literal password as its default; use a build secret (RUN --mount=type=secret) instead",
      dotenv: "{keyword} puts the environment file '{source}' into the image; pass its variables at run time (docker run --env-file, compose env_file) instead",
      privateKey: "{keyword} puts the private key '{source}' into the image; use an SSH mount (RUN --mount=type=ssh) or a build secret instead",
      keyFile: "{keyword} puts the key file '{source}' into the image; mount it at run time or use a build secret (RUN --mount=type=secret) instead",
      registryConfig: "{keyword} puts '{source}' into the final image; registry configuration files often carry access tokens, so mount it as a build secret (RUN --mount=type=secret) instead",
    },
    fixable: true,
  },
  check(ctx) {
    for (const { file, facts, final } of dockerfiles(ctx.filesOf('dockerfile'))) {
      const props: { keyword: 'ENV' | 'ARG'; scope: string; p: DfProperty }[] = [
        ...facts.globalArgs.map((p) => ({ keyword: 'ARG' as const, scope: 'global', p })),
        ...facts.stages.flatMap((s) => [...s.args.map((p) => ({ keyword: 'ARG' as const, scope: `stage/${stageLabel(s)}`, p })), ...s.env.map((p) => ({ keyword: 'ENV' as const, scope: `stage/${stageLabel(s)}`, p }))]),
      ];
      for (const { keyword, scope, p } of props) {
        if (p.value === undefined || !p.valueSpan) continue;
        const cause = valueCause(p.name, p.value);
        if (!cause) continue;
        const fixData: ValueFixData = { keyword, name: p.name, instructionStart: p.instruction.start };
        ctx.report({
          subject: { key: `${file.path}#${scope}/${keyword}/${p.name}`, file: file.path, span: p.valueSpan },
          messageId: `${keyword.toLowerCase()}${cause === 'literal' ? 'Literal' : 'ConnectionPassword'}`,
          data: { name: p.name },
          file: file.path,
          span: p.valueSpan,
          fixes: [
            keyword === 'ARG'
              ? { title: `Drop the literal default of ARG '${p.name}'`, safe: false, kind: 'removeValue' }
              : { title: `Remove ENV '${p.name}' from the image (pass it at run time)`, safe: false, kind: 'removeValue' },
          ],
          fixData,
        });
      }
      const reportCopy = (copy: DfCopy, source: DfText, isFinal: boolean, label: string): void => {
        if (copy.keyword === 'ADD' && /^[a-z][a-z0-9+.-]*:\/\//i.test(source.value)) return;
        const cause = fileCause(source.value);
        if (!cause) return;
        // Registry configs are the classic multi-stage pattern in build stages; only the final image ships them.
        if (cause === 'registryConfig' && !isFinal) return;
        ctx.report({
          subject: { key: `${file.path}#stage/${label}/${copy.keyword}/${source.value}`, file: file.path, span: source.span },
          messageId: cause,
          data: { keyword: copy.keyword, source: source.value },
          file: file.path,
          span: source.span,
          severity: cause === 'registryConfig' ? 'info' : undefined,
        });
      };
      for (const stage of facts.stages) {
        for (const copy of stage.copies) {
          if (copy.from !== undefined || copy.heredoc) continue;
          for (const source of copy.sources) reportCopy(copy, source, stage === final, stageLabel(stage));
        }
      }
    }
  },
  fix(finding, kind, ctx): TextEdit[] {
    if (kind !== 'removeValue' || !isValueFixData(finding.fixData)) return [];
    const { keyword, name, instructionStart } = finding.fixData;
    const current = currentFacts(ctx, finding.file);
    if (!current) return [];
    const { facts } = current;
    const props = currentProperties(facts.stages, facts.globalArgs, keyword);
    const p = props.find((x) => x.name === name && x.instruction.start === instructionStart) ?? props.find((x) => x.name === name && x.value !== undefined && x.valueSpan !== undefined && valueCause(x.name, x.value) !== undefined);
    if (!p || p.value === undefined || !p.valueSpan) return [];
    if (keyword === 'ARG') {
      // `ARG NAME=value` → `ARG NAME`: the value must then come with the build.
      return [{ file: finding.file, start: p.nameSpan.end, end: p.valueSpan.end, newText: '' }];
    }
    const siblings = props.filter((x) => x.instruction.start === p.instruction.start);
    const i = siblings.indexOf(p);
    if (siblings.length > 1) {
      // Drop the property and the space before the next one (or after the previous one).
      const next = siblings[i + 1];
      if (next) return [{ file: finding.file, start: p.span.start, end: next.span.start, newText: '' }];
      return [{ file: finding.file, start: siblings[i - 1]!.span.end, end: p.span.end, newText: '' }];
    }
    // The only variable of the ENV: the instruction becomes a comment saying where the value goes.
    return [
      {
        file: finding.file,
        start: p.instruction.start,
        end: p.instruction.end,
        newText: `# ${name} holds a secret: set it at run time (docker run -e ${name}, compose environment or secrets, a Kubernetes Secret), not in the image`,
      },
    ];
  },
});
