// secrets/secret-manager: where the repository handles secrets (secret-named variables in
// Kubernetes env, compose environment, Dockerfile ENV/ARG, .env files, or read by code),
// they come from a secret store — Kubernetes Secrets, Docker/compose secrets, Vault, a cloud
// secret manager, sops, sealed-secrets, external-secrets — rather than from plain
// environment variables and literals only. One verdict for the repository.
import { defineRule } from '../../server/src/engine/rule';
import type { Evidence, SourceFile, Span } from '../../server/src/engine/types';
import { composeServices, envEntries, interpolationsOf } from '../lib/compose';
import { allWorkloads, get, isObj, spanAt, type Workload } from '../lib/k8s';
import { isEnvTemplate } from '../lib/secret-files';
import { connectionPassword, isConnectionName, isSecretName } from '../lib/secret-names';

/** How a secret reaches the program. */
type Source = 'literal' | 'env' | 'store';

interface Consumer {
  name: string;
  file: string;
  span: Span;
  source: Source;
  /** Where it was seen: "Deployment 'api'", "compose service 'web'", "code". */
  where: string;
}

interface Store {
  store: string;
  file: string;
  span: Span;
}

const MAX_EVIDENCE = 12;

function secretVar(name: string, value: unknown): boolean {
  if (isSecretName(name)) return true;
  return isConnectionName(name) && typeof value === 'string' && connectionPassword(value) !== undefined;
}

function kubernetes(files: readonly SourceFile[], consumers: Consumer[], stores: Store[]): void {
  const seen = (w: Workload): string => `${w.kind} '${w.name}'`;
  for (const w of allWorkloads(files)) {
    const file = w.file.path;
    for (const c of w.containers) {
      const env = c.value.env;
      if (Array.isArray(env)) {
        env.forEach((item: unknown, i) => {
          if (!isObj(item) || typeof item.name !== 'string') return;
          const ptr = `${c.ptr}/env/${i}`;
          if (isObj(get(item, 'valueFrom', 'secretKeyRef'))) {
            stores.push({ store: 'Kubernetes Secret (secretKeyRef)', file, span: spanAt(w.doc, `${ptr}/valueFrom`) });
            if (isSecretName(item.name)) consumers.push({ name: item.name, file, span: spanAt(w.doc, `${ptr}/name`), source: 'store', where: seen(w) });
            return;
          }
          if (!secretVar(item.name, item.value)) return;
          const literal = item.value !== undefined || isObj(get(item, 'valueFrom', 'configMapKeyRef'));
          consumers.push({ name: item.name, file, span: spanAt(w.doc, `${ptr}/${item.value !== undefined ? 'value' : 'name'}`), source: literal ? 'literal' : 'env', where: seen(w) });
        });
      }
      const envFrom = c.value.envFrom;
      if (Array.isArray(envFrom)) {
        envFrom.forEach((item: unknown, i) => {
          if (isObj(item) && isObj(item.secretRef)) stores.push({ store: 'Kubernetes Secret (envFrom secretRef)', file, span: spanAt(w.doc, `${c.ptr}/envFrom/${i}`) });
        });
      }
    }
    const volumes = w.podSpec.volumes;
    if (Array.isArray(volumes)) {
      volumes.forEach((v: unknown, i) => {
        if (isObj(v) && (isObj(v.secret) || isObj(v.csi))) stores.push({ store: isObj(v.secret) ? 'Kubernetes Secret volume' : 'Secrets Store CSI volume', file, span: spanAt(w.doc, `${w.podSpecPtr}/volumes/${i}`) });
      });
    }
  }
}

function compose(files: readonly SourceFile[], consumers: Consumer[], stores: Store[]): void {
  for (const s of composeServices(files)) {
    const where = `compose service '${s.name}'`;
    if (Array.isArray(s.value.secrets) && s.value.secrets.length > 0) stores.push({ store: 'compose secrets', file: s.file.path, span: s.keySpan });
    for (const layer of s.layers) {
      for (const e of envEntries(layer)) {
        if (!secretVar(e.name, e.value)) continue;
        const source: Source = e.value === undefined || interpolationsOf(e.value).length > 0 ? 'env' : 'literal';
        consumers.push({ name: e.name, file: layer.file.path, span: e.span, source, where });
      }
    }
  }
}

function facts(files: readonly SourceFile[], consumers: Consumer[], stores: Store[]): void {
  for (const f of files) {
    const name = f.path.slice(f.path.lastIndexOf('/') + 1);
    if (name === '.sops.yaml' || name === '.sops.yml') stores.push({ store: 'sops (.sops.yaml)', file: f.path, span: { start: 0, end: 0 } });
    const s = f.facts.secrets;
    if (!s) continue;
    for (const st of s.stores) stores.push({ store: st.store, file: f.path, span: { start: st.span[0], end: st.span[1] } });
    for (const d of s.envDecls) consumers.push({ name: d.name, file: f.path, span: { start: d.span[0], end: d.span[1] }, source: d.literal ? 'literal' : 'env', where: 'Dockerfile' });
    for (const r of s.envRefs) consumers.push({ name: r.name, file: f.path, span: { start: r.span[0], end: r.span[1] }, source: 'env', where: 'code' });
    if (!isEnvTemplate(f.path)) {
      for (const e of s.dotenv) if (e.real) consumers.push({ name: e.key, file: f.path, span: { start: e.span[0], end: e.span[1] }, source: 'literal', where: `'${name}'` });
    }
  }
}

function names(list: readonly Consumer[]): string {
  const unique = [...new Set(list.map((c) => c.name))];
  const shown = unique.slice(0, 3).map((n) => `'${n}'`).join(', ');
  return unique.length > 3 ? `${shown} and ${unique.length - 3} more` : shown;
}

const LOOKED_FOR = 'looked for Kubernetes secretKeyRef/envFrom secretRef/secret volumes, compose secrets, BuildKit secret mounts, Vault (hvac, node-vault, agent annotations), AWS Secrets Manager/SSM, GCP Secret Manager, Azure Key Vault, sops, SealedSecret, ExternalSecret and CSI SecretProviderClass';

export default defineRule({
  meta: {
    id: 'secrets/secret-manager',
    category: 'security',
    weight: 2,
    severity: 'info',
    scope: 'workspace',
    title: 'Secrets come from a secret store',
    summary: 'where secrets exist, they come from a secret store rather than plain env vars only',
    appliesTo: ['k8s', 'compose', 'dockerfile', 'ts', 'js', 'python', 'terraform', 'dotenv'],
    subjects: { singular: 'repository', plural: 'repositories', passing: 'take secrets from a secret store' },
    messages: {
      noStore: 'Secrets ({names}) reach the code as plain environment variables or literals, and nothing in the repository takes them from a secret store (Kubernetes Secrets, compose secrets, Vault, a cloud secret manager, sops)',
      partial: 'Secrets come from {stores}, but {names} {verb} set as plain literals in {where}; take them from the secret store too',
    },
  },
  check(ctx) {
    const consumers: Consumer[] = [];
    const stores: Store[] = [];
    kubernetes(ctx.filesOf('k8s'), consumers, stores);
    compose(ctx.filesOf('compose'), consumers, stores);
    facts(ctx.files, consumers, stores);
    if (consumers.length === 0 && stores.length === 0) return;

    const subject = { key: 'repository' };
    const storeNames = [...new Set(stores.map((s) => s.store))];
    const storeEvidence: Evidence[] = [];
    for (const name of storeNames) {
      const first = stores.find((s) => s.store === name)!;
      if (storeEvidence.length < MAX_EVIDENCE) storeEvidence.push({ file: first.file, span: first.span, note: `secret store: ${name}` });
    }
    const literal = consumers.filter((c) => c.source === 'literal');
    const plainEvidence = (list: readonly Consumer[], how: string): Evidence[] => list.slice(0, MAX_EVIDENCE).map((c) => ({ file: c.file, span: c.span, note: `'${c.name}' ${how} (${c.where})` }));

    if (stores.length === 0) {
      const first = literal[0] ?? consumers[0]!;
      ctx.verdict({
        subject,
        status: 'fail',
        evidence: [...plainEvidence(literal, 'set as a literal'), ...plainEvidence(consumers.filter((c) => c.source === 'env'), 'read from a plain environment variable'), { note: `${LOOKED_FOR}; found none` }],
        report: { file: first.file, span: first.span, messageId: 'noStore', data: { names: names(consumers) } },
      });
      return;
    }
    if (literal.length > 0) {
      const first = literal[0]!;
      const where = [...new Set(literal.map((c) => c.where))].slice(0, 3).join(', ');
      ctx.verdict({
        subject,
        status: 'partial',
        evidence: [...storeEvidence, ...plainEvidence(literal, 'set as a literal')],
        report: { file: first.file, span: first.span, messageId: 'partial', data: { stores: storeNames.slice(0, 3).join(', '), names: names(literal), verb: new Set(literal.map((c) => c.name)).size > 1 ? 'are' : 'is', where } },
      });
      return;
    }
    ctx.verdict({ subject, status: 'pass', evidence: storeEvidence });
  },
});
