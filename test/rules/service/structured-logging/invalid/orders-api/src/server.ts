import express from 'express';
import winston from 'winston';

const log = winston.createLogger({
  format: winston.format.combine(winston.format.timestamp(), winston.format.simple()),
  transports: [new winston.transports.Console()],
});
const app = express();

app.listen(8080, () => log.info('listening'));
//^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ service/structured-logging textOnly
