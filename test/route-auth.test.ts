// http/route-auth beyond its fixtures: public routes by default and by configuration, the
// "mark as public" fix, and the evidence the readiness tree shows.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import routeAuth from '../rules/http/route-auth';
import { computeFix, scan } from '../server/src/engine/index';
import { configuredPublic, defaultPublicReason, pathGlob } from '../server/src/engine/routes/public';
import { applyEdits } from '../server/src/engine/text';
import { tempDir, writeTree } from './harness';

const APP = [
  "import express from 'express';",
  '',
  'const app = express();',
  "app.get('/api/v1/healthz', (_req, res) => res.send('ok'));",
  "app.post('/webhooks/payments', (_req, res) => res.end());",
  "app.get('/webhooks/payments', (_req, res) => res.end());",
  "app.get('/api/orders', (_req, res) => res.json([]));",
  'app.listen(3000);',
  '',
].join('\n');

async function scanApp(files: Record<string, string>): Promise<{ dir: string; outcome: Awaited<ReturnType<typeof scan>> }> {
  const dir = tempDir();
  writeTree(dir, new Map(Object.entries(files)));
  return { dir, outcome: await scan({ roots: [dir], rules: [routeAuth] }) };
}

describe('http/route-auth', () => {
  it('treats health, metrics, docs, sign-in and static routes as public by default', () => {
    assert.equal(defaultPublicReason('/api/v1/healthz'), 'health check');
    assert.equal(defaultPublicReason('/metrics'), 'metrics');
    assert.equal(defaultPublicReason('/docs'), 'API docs');
    assert.equal(defaultPublicReason('/auth/login'), 'sign-in');
    assert.equal(defaultPublicReason('/static/app.js'), 'static assets');
    assert.equal(defaultPublicReason('/api/orders'), undefined);
    assert.equal(defaultPublicReason('/api/health-reports/:id'), undefined);
  });

  it('matches publicRoutes globs, with and without a method', () => {
    assert.ok(pathGlob('/webhooks/**').test('/webhooks/payments/stripe'));
    assert.ok(pathGlob('/webhooks/**').test('/webhooks'));
    assert.ok(!pathGlob('/webhooks/*').test('/webhooks/a/b'));
    assert.equal(configuredPublic({ method: 'POST', path: '/webhooks/payments' }, ['POST /webhooks/**']), 'POST /webhooks/**');
    assert.equal(configuredPublic({ method: 'GET', path: '/webhooks/payments' }, ['POST /webhooks/**']), undefined);
    assert.equal(configuredPublic({ method: 'ALL', path: '/webhooks/payments' }, ['POST /webhooks/**']), undefined, 'a route taking any method is not covered by a one-method pattern');
    assert.equal(configuredPublic({ method: 'DELETE', path: '/public/files/1' }, ['/public/**']), '/public/**');
  });

  it('reports only routes that are neither protected nor public, and explains the public ones', async () => {
    const { outcome } = await scanApp({ 'package.json': '{ "name": "pay", "dependencies": { "express": "^4.19.2" } }\n', 'src/server.ts': APP, '.readiness.yaml': 'publicRoutes:\n  - "POST /webhooks/**"\n' });
    const messages = outcome.findings.map((f) => `${f.range.start.line} ${f.message}`);
    assert.deepEqual(messages, ['6 GET /webhooks/payments (Express) is not behind an authentication guard', '7 GET /api/orders (Express) is not behind an authentication guard']);
    const check = outcome.checks.find((c) => c.id === 'http/route-auth')!;
    assert.equal(check.subjects, 2, 'public routes are not subjects');
    const notes = check.evidence.map((e) => e.note);
    assert.ok(notes.includes('GET /api/v1/healthz is public by default (health check)'), notes.join('\n'));
    assert.ok(notes.includes('POST /webhooks/payments is public by configuration (publicRoutes: "POST /webhooks/**")'), notes.join('\n'));
    assert.ok(notes.some((n) => /^4 routes \(Express\): 0 behind a guard, 2 public, 2 without authentication$/.test(n)), notes.join('\n'));
  });

  it('marks a route as public with a suppression comment that asks for the reason', async () => {
    const { dir, outcome } = await scanApp({ 'package.json': '{ "name": "pay", "dependencies": { "express": "^4.19.2" } }\n', 'src/server.ts': APP });
    const finding = outcome.findings.find((f) => f.message.startsWith('GET /api/orders'))!;
    const index = finding.fixes.findIndex((f) => f.kind === 'public');
    assert.ok(index >= 0, 'the finding offers "mark as public"');
    assert.equal(finding.fixes.some((f) => f.kind === 'protect'), false, 'no guard to propose in a project without one');
    const fix = computeFix([routeAuth], finding, index, [dir]);
    const file = path.join(dir, 'src/server.ts');
    const fixed = applyEdits(fs.readFileSync(file, 'utf8'), fix.edits);
    assert.match(fixed, /\n\/\/ readiness-ignore-next-line http\/route-auth -- public route: <reason>\napp\.get\('\/api\/orders'/);
    fs.writeFileSync(file, fixed);
    const after = await scan({ roots: [dir], rules: [routeAuth] });
    assert.ok(!after.findings.some((f) => f.message.startsWith('GET /api/orders')), 'the route is no longer reported');
    assert.ok(after.suppressed.some((f) => f.message.startsWith('GET /api/orders') && f.via === 'comment'));
  });

  it('offers no edits once the file changed since the finding', async () => {
    const files = {
      'package.json': '{ "name": "pay", "dependencies": { "express": "^4.19.2" } }\n',
      'src/auth.ts': "export function requireUser(req, res, next) {\n  if (!req.headers.authorization) return res.status(401).end();\n  next();\n}\n",
      'src/server.ts': "import express from 'express';\nimport { requireUser } from './auth';\nconst app = express();\napp.get('/a', requireUser, (_q, s) => s.end());\napp.get('/b', (_q, s) => s.end());\napp.listen(1);\n",
    };
    const { dir, outcome } = await scanApp(files);
    const finding = outcome.findings.find((f) => f.message.startsWith('GET /b'))!;
    const index = finding.fixes.findIndex((f) => f.kind === 'protect');
    assert.ok(index >= 0, 'the project guard is proposed');
    assert.equal(computeFix([routeAuth], finding, index, [dir]).edits.length > 0, true);
    fs.writeFileSync(path.join(dir, 'src/server.ts'), '// moved\n' + files['src/server.ts']);
    assert.deepEqual(computeFix([routeAuth], finding, index, [dir]).edits, []);
  });
});
