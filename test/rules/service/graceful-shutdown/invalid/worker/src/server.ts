import express from 'express';

const app = express();
app.listen(9090);
//^^^^^^^^^^^^^^ service/graceful-shutdown partial

process.on('SIGTERM', () => process.exit(0));
