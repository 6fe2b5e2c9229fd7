// k8s/secret-in-env: an env var whose name looks secret (or whose value is a connection
// string with a password) is not given as a literal `value:` but taken from a Secret.
import { isMap, isPair, isScalar, stringify, type Document, type Node, type Pair } from 'yaml';
import { defineRule } from '../../server/src/engine/rule';
import type { TextEdit } from '../../server/src/engine/types';
import { allWorkloads, containerKey, documentAt, isObj, spanAt, type Container, type Workload } from '../lib/k8s';
import { connectionPassword, isSecretName, looksLikeFilePath, looksLikePlaceholder, secretKeyName } from '../lib/secret-names';
import { replaceEntry, type Path } from '../lib/yaml-edit';

/** A Kubernetes dependent-variable reference, `$(OTHER_VAR)`: the value comes from another variable, not a literal. */
function isVarReference(v: string): boolean {
  return /^\$\([A-Za-z_][A-Za-z0-9_.-]*\)$/.test(v.trim());
}

type Cause = 'literal' | 'connectionPassword' | 'placeholder';

/** Why a literal env value is a finding, or undefined when it is not one. */
function causeOf(name: string, value: string): Cause | undefined {
  if (value.trim() === '' || isVarReference(value)) return undefined;
  const password = connectionPassword(value);
  if (password !== undefined && isVarReference(password)) return undefined;
  if (isSecretName(name)) {
    if (looksLikeFilePath(value)) return undefined; // where the secret is mounted, not the secret
    if (looksLikePlaceholder(value) || (password !== undefined && looksLikePlaceholder(password))) return 'placeholder';
    return 'literal';
  }
  if (password !== undefined) return looksLikePlaceholder(password) ? 'placeholder' : 'connectionPassword';
  return undefined;
}

interface EnvFixData {
  docStart: number;
  /** Key path of the env item (the map holding `name` and `value`). */
  path: Path;
  secret: string;
  key: string;
}

function isEnvFixData(v: unknown): v is EnvFixData {
  return isObj(v) && typeof v.docStart === 'number' && Array.isArray(v.path) && typeof v.secret === 'string' && typeof v.key === 'string';
}

function secretNameOf(w: Workload): string {
  return `${w.name || 'app'}-secrets`;
}

function* envVars(c: Container): Generator<{ index: number; name: string; value: unknown }> {
  const env = c.value.env;
  if (!Array.isArray(env)) return;
  for (let index = 0; index < env.length; index++) {
    const item: unknown = env[index];
    if (!isObj(item) || typeof item.name !== 'string') continue;
    yield { index, name: item.name, value: item.value };
  }
}

/** `value: x` → `valueFrom: {secretKeyRef: …}` inside a flow map, where a block cannot go. */
function replaceInFlowMap(file: string, doc: Document.Parsed, mapPath: Path, replacement: { secret: string; key: string }): TextEdit | undefined {
  const map = doc.getIn(mapPath, true);
  if (!isMap(map) || !map.flow) return undefined;
  const pair = map.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === 'value') as Pair<Node, Node | null> | undefined;
  const keyRange = pair?.key.range;
  if (!pair || !keyRange) return undefined;
  const end = pair.value?.range ? pair.value.range[1] : keyRange[1];
  const scalar = (s: string): string => stringify(s).replace(/\n$/, '');
  return { file, start: keyRange[0], end, newText: `valueFrom: {secretKeyRef: {name: ${scalar(replacement.secret)}, key: ${scalar(replacement.key)}}}` };
}

export default defineRule({
  meta: {
    id: 'k8s/secret-in-env',
    category: 'security',
    weight: 5,
    severity: 'error',
    scope: 'location',
    title: 'Secret environment variables come from Secrets, not literals',
    summary: 'env vars whose names look secret are not given as literal values',
    occurrence: true,
    appliesTo: ['k8s'],
    subjects: { singular: 'container', plural: 'containers', passing: 'take secrets from Secrets' },
    messages: {
      literal: "Env var '{var}' of container '{name}' is a secret given as a literal value; take it from a Secret (valueFrom.secretKeyRef)",
      connectionPassword: "Env var '{var}' of container '{name}' is a connection string with a literal password; take it from a Secret (valueFrom.secretKeyRef)",
      placeholder: "Env var '{var}' of container '{name}' is secret-named but set to a placeholder literal; take it from a Secret (valueFrom.secretKeyRef)",
    },
    fixable: true,
  },
  check(ctx) {
    for (const w of allWorkloads(ctx.filesOf('k8s'))) {
      for (const c of w.containers) {
        const seen = new Map<string, number>();
        for (const v of envVars(c)) {
          if (typeof v.value !== 'string' && typeof v.value !== 'number' && typeof v.value !== 'boolean') continue;
          const cause = causeOf(v.name, String(v.value));
          if (!cause) continue;
          // The subject is the variable; a repeated name gets a suffix so each keeps its own fingerprint.
          const n = seen.get(v.name) ?? 0;
          seen.set(v.name, n + 1);
          const key = `${containerKey(w, c)}/env/${v.name}${n > 0 ? `#${n + 1}` : ''}`;
          const ptr = `${c.ptr}/env/${v.index}/value`;
          const fixData: EnvFixData = { docStart: w.doc.span[0], path: [...c.path, 'env', v.index], secret: secretNameOf(w), key: secretKeyName(v.name) };
          ctx.report({
            subject: { key, file: w.file.path, span: spanAt(w.doc, ptr), exempt: w.exempt },
            messageId: cause,
            data: { var: v.name, name: c.name },
            file: w.file.path,
            span: spanAt(w.doc, ptr),
            severity: cause === 'placeholder' ? 'info' : undefined,
            fixes: [{ title: `Take '${v.name}' from Secret '${fixData.secret}' (key '${fixData.key}')`, safe: false, kind: 'secretKeyRef' }],
            fixData,
          });
        }
      }
    }
  },
  fix(finding, kind, ctx): TextEdit[] {
    if (kind !== 'secretKeyRef' || !isEnvFixData(finding.fixData)) return [];
    const { docStart, path, secret, key } = finding.fixData;
    const doc = documentAt(ctx, finding.file, docStart);
    if (!doc) return [];
    const flow = replaceInFlowMap(finding.file, doc, path, { secret, key });
    if (flow) return [flow];
    const text = ctx.text(finding.file);
    const item = doc.getIn(path, true);
    if (!isMap(item) || !item.has('value')) return [];
    return [replaceEntry(text, finding.file, doc, path, 'value', { valueFrom: { secretKeyRef: { name: secret, key } } })];
  },
});
