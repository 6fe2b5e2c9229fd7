import express from 'express';
import { requireAuth } from './auth';
import { catalogRouter } from './catalog';
import { listInvoices, listReports } from './handlers';

const app = express();

app.get('/healthz', (_req, res) => res.send('ok'));
app.get('/api/invoices', requireAuth, listInvoices);
app.get('/api/reports', requireAuth, listReports);
app.use('/catalog', catalogRouter);

app.listen(8080);
