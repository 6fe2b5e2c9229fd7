// `readiness-language-server`: speaks LSP over stdio (`--stdio`) or node IPC (`--node-ipc`).
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { ReadinessServer } from './server';

const connection = createConnection(ProposedFeatures.all);
new ReadinessServer(connection).listen();
