import { trace } from '@opentelemetry/api';
import express from 'express';

const tracer = trace.getTracer('gateway');
const app = express();
app.listen(8080);
//^^^^^^^^^^^^^^ service/tracing missing
