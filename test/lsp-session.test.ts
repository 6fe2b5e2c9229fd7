// The incremental session behind the language server: after every edit, creation, deletion
// or config change it must produce what a fresh scan() of the same state produces.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules } from '../rules/index';
import { MemoryFactsCache, scan } from '../server/src/engine/index';
import { AnalysisSession, type FileEvent } from '../server/src/engine/session';
import { comparableOutcome, deployment, tempDir, writeTree } from './harness';

const DEPLOYMENT = deployment('api');

const SERVER_TS = `import express from 'express';
const app = express();
app.get('/health', (_req, res) => res.send('ok'));
app.post('/orders', (req, res) => res.json(req.body));
app.listen(Number(process.env.PORT ?? 3000));
`;

describe('incremental analysis session', function () {
  this.timeout(60000);

  it('equals a fresh scan after each edit, creation, deletion and config change', async () => {
    const root = tempDir();
    writeTree(
      root,
      new Map([
        ['deploy/api.yaml', DEPLOYMENT],
        ['deploy/worker.yaml', DEPLOYMENT.replace(/api/g, 'worker')],
        ['api/package.json', JSON.stringify({ name: 'api', dependencies: { express: '^4.19.0' } }, null, 2)],
        ['api/src/server.ts', SERVER_TS],
        ['api/Dockerfile', 'FROM node:20\nCOPY . .\nCMD ["node", "src/server.js"]\n'],
        ['README.md', '# ws\n'],
        ['.gitignore', 'generated/\n'],
      ]),
    );
    const rules = [...allRules];
    const session = new AnalysisSession({ roots: [root], rules });
    const overlays = new Map<string, string>();
    await session.rescan();
    const abs = (rel: string): string => path.join(root, rel);
    let step = 0;
    const same = async (what: string): Promise<void> => {
      step++;
      const fresh = await scan({ roots: [root], rules, overlays });
      assert.deepEqual(comparableOutcome(session.run()), comparableOutcome(fresh), `step ${step}: ${what}`);
    };
    const events = async (list: FileEvent[]): Promise<void> => {
      const outcome = session.fileEvents(list);
      if (outcome === 'rescan') await session.rescan();
      else if (outcome === 'rediscover') await session.rediscover();
    };
    const edit = (rel: string, text: string | undefined): void => {
      if (text === undefined) overlays.delete(abs(rel));
      else overlays.set(abs(rel), text);
      session.update(abs(rel), text);
    };
    await same('first scan');

    edit('deploy/api.yaml', DEPLOYMENT.replace('nginx:latest', 'nginx:1.27.2'));
    await same('unsaved edit fixes the image tag');
    edit('deploy/api.yaml', DEPLOYMENT.replace('replicas: 2', 'replicas: 2\n  selector: [unclosed'));
    await same('unsaved edit breaks the YAML');
    edit('api/src/server.ts', SERVER_TS.replace("app.get('/health'", "app.get('/ready', (_q, r) => r.send('ok'));\napp.get('/health'"));
    await same('unsaved TypeScript edit');
    edit('deploy/api.yaml', undefined);
    await same('editor closed without saving');

    fs.writeFileSync(abs('deploy/worker.yaml'), DEPLOYMENT.replace(/api/g, 'worker').replace('nginx:latest', 'nginx@sha256:' + 'a'.repeat(64)));
    await events([{ absPath: abs('deploy/worker.yaml'), type: 'changed' }]);
    await same('file changed on disk');

    fs.mkdirSync(abs('deploy/extra'), { recursive: true });
    fs.writeFileSync(abs('deploy/extra/cron.yaml'), 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: "0 1 * * *"\n');
    fs.writeFileSync(abs('SECURITY.md'), '# Security\nReport issues to the maintainers.\n');
    fs.mkdirSync(abs('generated'), { recursive: true });
    fs.writeFileSync(abs('generated/out.yaml'), DEPLOYMENT);
    await events([
      { absPath: abs('deploy/extra/cron.yaml'), type: 'created' },
      { absPath: abs('SECURITY.md'), type: 'created' },
      { absPath: abs('generated/out.yaml'), type: 'created' },
    ]);
    await same('files created, one of them git-ignored');

    fs.rmSync(abs('api/Dockerfile'));
    await events([{ absPath: abs('api/Dockerfile'), type: 'deleted' }]);
    await same('file deleted');

    fs.rmSync(abs('deploy/extra'), { recursive: true });
    await events([{ absPath: abs('deploy/extra'), type: 'deleted' }]);
    await same('directory deleted');

    fs.writeFileSync(abs('.readiness.yaml'), 'rules:\n  k8s/image-tag: off\nignore:\n  - api/**\n');
    await events([{ absPath: abs('.readiness.yaml'), type: 'created' }]);
    await same('config created');

    fs.writeFileSync(abs('.readiness.yaml'), 'rules:\n  k8s/image-tag: loud\n');
    await events([{ absPath: abs('.readiness.yaml'), type: 'changed' }]);
    await same('config invalid');

    fs.writeFileSync(abs('.gitignore'), 'generated/\ndeploy/worker.yaml\n');
    await events([{ absPath: abs('.gitignore'), type: 'changed' }]);
    await same('.gitignore changed');

    fs.writeFileSync(abs('deploy/big.yaml'), DEPLOYMENT);
    await events([{ absPath: abs('deploy/big.yaml'), type: 'created' }]);
    fs.writeFileSync(abs('deploy/big.yaml'), DEPLOYMENT + '#'.repeat(1024 * 1024) + '\n');
    await events([{ absPath: abs('deploy/big.yaml'), type: 'changed' }]);
    await same('file grown past maxFileSize');
    fs.writeFileSync(abs('deploy/big.yaml'), DEPLOYMENT);
    await events([{ absPath: abs('deploy/big.yaml'), type: 'changed' }]);
    await same('file shrunk below maxFileSize');

    fs.writeFileSync(abs('deploy/blob.yaml'), Buffer.from([0, 1, 2, 3, 0, 255, 0]));
    await events([{ absPath: abs('deploy/blob.yaml'), type: 'created' }]);
    await same('binary file created');
    fs.rmSync(abs('deploy/blob.yaml'));
    fs.rmSync(abs('.readiness.yaml'));
    await events([
      { absPath: abs('deploy/blob.yaml'), type: 'deleted' },
      { absPath: abs('.readiness.yaml'), type: 'deleted' },
    ]);
    await same('binary file and config deleted');
  });

  it('re-extracts only the edited file', async () => {
    const root = tempDir();
    writeTree(root, new Map([['deploy/api.yaml', DEPLOYMENT], ['deploy/worker.yaml', DEPLOYMENT.replace(/api/g, 'worker')]]));
    const session = new AnalysisSession({ roots: [root], rules: [...allRules] });
    await session.rescan();
    const before = new Map(session.run().files.map((f) => [f.path, f.facts]));
    session.update(path.join(root, 'deploy/api.yaml'), DEPLOYMENT.replace('nginx:latest', 'nginx:1.27.2'));
    const after = new Map(session.run().files.map((f) => [f.path, f.facts]));
    assert.equal(after.get('deploy/worker.yaml'), before.get('deploy/worker.yaml'), 'the other file keeps its facts object');
    assert.notEqual(after.get('deploy/api.yaml'), before.get('deploy/api.yaml'), 'the edited file has new facts');
  });

  it('keeps the facts of the current texts only, however long the typing goes on', async () => {
    const root = tempDir();
    writeTree(root, new Map([['deploy/api.yaml', DEPLOYMENT], ['api/src/server.ts', SERVER_TS]]));
    const cache = new MemoryFactsCache();
    const session = new AnalysisSession({ roots: [root], rules: [...allRules], cache });
    await session.rescan();
    session.run();
    const settled = cache.size;
    let text = SERVER_TS;
    for (let i = 0; i < 60; i++) {
      text += `// keystroke ${i}\n`;
      session.update(path.join(root, 'api/src/server.ts'), text);
      session.run();
    }
    // The disk's version stays cached (closing the editor brings it back); the 59 texts typed over do not.
    assert.ok(cache.size <= settled + 1, `cache holds ${cache.size} entries, ${settled} before typing`);
    session.update(path.join(root, 'api/src/server.ts'), undefined);
    const outcome = session.run();
    assert.equal(outcome.files.find((f) => f.path === 'api/src/server.ts')?.size, Buffer.byteLength(SERVER_TS));
  });
});
