import passport from 'passport';
import express from 'express';

const app = express();
app.use(passport.initialize());
app.post('/api/orders', (req, res) => res.status(201).json(req.body));
app.get('/api/orders', (_req, res) => res.json([]));

app.listen(8080);
