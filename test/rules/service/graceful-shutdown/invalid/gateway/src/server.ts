import express from 'express';

const app = express();
app.listen(8080);
//^^^^^^^^^^^^^^ service/graceful-shutdown missing
