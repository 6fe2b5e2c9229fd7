import express from 'express';
import { requireAuth } from './auth';
import { listInvoices, listReports } from './handlers';

const app = express();

app.get('/healthz', (_req, res) => res.send('ok'));
app.post('/auth/login', (_req, res) => res.json({ token: 'issued-elsewhere' }));
app.use(requireAuth);
app.get('/api/invoices', listInvoices);
app.get('/api/reports', listReports);

app.listen(8080);
