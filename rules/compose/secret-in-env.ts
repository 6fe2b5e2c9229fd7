// compose/secret-in-env: a secret-looking variable in a service's `environment` (map or
// list form) is not a literal — nor an interpolation whose default is a literal secret.
import { defineRule, type CheckContext } from '../../server/src/engine/rule';
import type { TextEdit } from '../../server/src/engine/types';
import { composeServices, envEntries, interpolationsOf, literalDefaults, parseInterpolation, resolveInterpolation, type EnvEntry, type Layer } from '../lib/compose';
import { replaceScalar } from '../lib/compose-edit';
import { documentAt, isObj } from '../lib/k8s';
import { connectionPassword, isSecretName, looksLikeFilePath, looksLikePlaceholder } from '../lib/secret-names';
import type { Path } from '../lib/yaml-edit';

type Cause = 'literal' | 'connectionPassword' | 'placeholder' | 'literalDefault';

/** A value's text as compose runs it when it has no interpolation (`$$` is a literal `$`). */
function plainText(value: string): string {
  return parseInterpolation(value)
    .map((seg) => ('text' in seg ? seg.text : ''))
    .join('');
}

/** A password that is itself (or holds) an interpolation is no literal. */
function literalPassword(password: string | undefined): string | undefined {
  return password === undefined || password.includes('${') ? undefined : password;
}

/** Why an environment value is a finding, or undefined when it is not one. */
export function causeOf(name: string, value: string): Cause | undefined {
  if (value.trim() === '') return undefined;
  const secretName = isSecretName(name);
  if (interpolationsOf(value).length === 0) {
    const v = plainText(value);
    const password = connectionPassword(v);
    if (secretName) {
      if (looksLikeFilePath(v)) return undefined;
      if (looksLikePlaceholder(v) || (password !== undefined && looksLikePlaceholder(password))) return 'placeholder';
      return 'literal';
    }
    if (password !== undefined) return looksLikePlaceholder(password) ? 'placeholder' : 'connectionPassword';
    return undefined;
  }
  // Interpolated. A password written around the interpolations is still a literal
  // (`postgres://app:pw@${DB_HOST}/app`); otherwise only the defaults can be literal secrets.
  const asWritten = parseInterpolation(value)
    .map((seg) => ('text' in seg ? seg.text : `\${${seg.name}}`))
    .join('');
  const writtenPassword = literalPassword(connectionPassword(asWritten));
  if (writtenPassword !== undefined && !looksLikePlaceholder(writtenPassword)) return 'connectionPassword';
  if (secretName) return literalDefaults(value).some((d) => !looksLikePlaceholder(d) && !looksLikeFilePath(d)) ? 'literalDefault' : undefined;
  const defaultPassword = literalPassword(connectionPassword(resolveInterpolation(value, (n) => `\${${n}}`)));
  return defaultPassword !== undefined && !looksLikePlaceholder(defaultPassword) ? 'literalDefault' : undefined;
}

/** The variable a fix interpolates: the name itself when compose allows it (`DB_PASSWORD`), else a safe form of it. */
export function variableFor(name: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return name;
  const v = name.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^(\d)/, '_$1').toUpperCase();
  return v.replace(/^_+$/, '') || 'SECRET';
}

interface FixData {
  path: Path;
  form: EnvEntry['form'];
  name: string;
}

function isFixData(v: unknown): v is FixData {
  return isObj(v) && Array.isArray(v.path) && (v.form === 'map' || v.form === 'list') && typeof v.name === 'string';
}

function report(ctx: CheckContext, layer: Layer, service: string, e: EnvEntry, cause: Cause, key: string): void {
  const variable = variableFor(e.name);
  const fixData: FixData = { path: e.path, form: e.form, name: e.name };
  ctx.report({
    subject: { key, file: layer.file.path, span: e.span },
    messageId: cause,
    data: { var: e.name, variable, name: service },
    file: layer.file.path,
    span: e.span,
    severity: cause === 'placeholder' ? 'info' : undefined,
    fixes: e.exact ? [{ title: `Take '${e.name}' from the environment (\${${variable}})`, safe: false, kind: 'interpolate' }] : [],
    fixData,
  });
}

export default defineRule({
  meta: {
    id: 'compose/secret-in-env',
    category: 'security',
    weight: 5,
    severity: 'error',
    scope: 'location',
    title: 'Compose secrets are not literals',
    summary: 'secret-looking environment variables are not literals (interpolation, env_file or secrets instead)',
    occurrence: true,
    appliesTo: ['compose'],
    subjects: { singular: 'compose file', plural: 'compose files', passing: 'keep secrets out of environment literals' },
    messages: {
      literal: "Environment variable '{var}' of service '{name}' is a secret given as a literal value; take it from the environment (${variable}), an env_file or compose secrets",
      connectionPassword: "Environment variable '{var}' of service '{name}' is a connection string with a literal password; take it from the environment (${variable}), an env_file or compose secrets",
      literalDefault: "Environment variable '{var}' of service '{name}' is interpolated, but the default is the secret: it is used whenever the variable is unset; drop the default",
      placeholder: "Environment variable '{var}' of service '{name}' is secret-named but set to a placeholder literal; take it from the environment (${variable}), an env_file or compose secrets",
    },
    fixable: true,
  },
  check(ctx) {
    for (const s of composeServices(ctx.filesOf('compose'))) {
      for (const layer of s.layers) {
        const seen = new Map<string, number>();
        for (const e of envEntries(layer)) {
          if (e.value === undefined) continue;
          const cause = causeOf(e.name, e.value);
          if (!cause) continue;
          // The subject is the variable; a repeated name gets a suffix so each keeps its own fingerprint.
          const n = seen.get(e.name) ?? 0;
          seen.set(e.name, n + 1);
          report(ctx, layer, s.name, e, cause, `${layer.file.path}#service/${s.name}/env/${e.name}${n > 0 ? `#${n + 1}` : ''}`);
        }
      }
    }
  },
  fix(finding, kind, ctx): TextEdit[] {
    if (kind !== 'interpolate' || !isFixData(finding.fixData)) return [];
    const { path, form, name } = finding.fixData;
    const doc = documentAt(ctx, finding.file, finding.span.start);
    if (!doc || doc.errors.length > 0) return [];
    const current: unknown = doc.getIn(path);
    const ref = `\${${variableFor(name)}}`;
    if (form === 'map') {
      if (typeof current !== 'string' && typeof current !== 'number' && typeof current !== 'boolean') return [];
      if (String(current) === ref) return [];
      const edit = replaceScalar(ctx.text(finding.file), finding.file, doc, path, ref);
      return edit ? [edit] : [];
    }
    if (typeof current !== 'string' || !current.startsWith(`${name}=`) || current === `${name}=${ref}`) return [];
    const edit = replaceScalar(ctx.text(finding.file), finding.file, doc, path, `${name}=${ref}`);
    return edit ? [edit] : [];
  },
});
