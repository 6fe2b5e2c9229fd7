// Service anchors: where per-service workspace findings point (DESIGN.md) — the entry file's
// listen or app-creation call, found from package.json main/start or the service's sources.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scan } from '../server/src/engine/index';
import { serviceAnchor } from '../server/src/engine/services';
import { tempDir, writeTree } from './harness';

async function anchors(files: Record<string, string>): Promise<Record<string, string | undefined>> {
  const dir = tempDir();
  writeTree(dir, new Map(Object.entries(files)));
  const out = await scan({ roots: [dir], rules: [] });
  return Object.fromEntries(
    out.services.map((s) => {
      const a = serviceAnchor(s);
      return [s.name, a && `${a.file}:${fs.readFileSync(path.join(dir, a.file), 'utf8').slice(a.span.start, a.span.end).split('\n')[0]}`];
    }),
  );
}

describe('service anchors', () => {
  it('the start script file (dist → src) wins over other files; within it the listen call over the app creation', async () => {
    const got = await anchors({
      'admin/package.json': JSON.stringify({ name: 'admin', dependencies: { '@nestjs/core': '10' }, scripts: { start: 'node dist/main.js' } }),
      'admin/src/main.ts': "import { NestFactory } from '@nestjs/core';\nasync function boot() {\n  const app = await NestFactory.create(AppModule);\n  await app.listen(3000);\n}\n",
      'admin/src/other.ts': "import express from 'express';\nexpress().listen(1);\n",
    });
    assert.deepEqual(got, { admin: 'admin/src/main.ts:app.listen(3000)' });
  });

  it('without an entry, the strongest start fact among the sources (tests excluded); Python app creation; manage.py; else the manifest', async () => {
    const got = await anchors({
      'web/package.json': JSON.stringify({ name: 'web', dependencies: { express: '4' } }),
      'web/src/app.ts': "import express from 'express';\nexport const app = express();\n",
      'web/src/server.test.ts': "import { app } from './app';\napp.listen(0);\n",
      'py/requirements.txt': 'flask\n',
      'py/factory.py': 'from flask import Flask\n\ndef create_app():\n    app = Flask(__name__)\n    return app\n',
      'dj/requirements.txt': 'django\n',
      'dj/manage.py': 'import sys\n',
      'bare/requirements.txt': 'fastapi\n',
    });
    assert.deepEqual(got, { bare: 'bare/requirements.txt:', dj: 'dj/manage.py:', py: 'py/factory.py:Flask(__name__)', web: 'web/src/app.ts:express()' });
  });
});
