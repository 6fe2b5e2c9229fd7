import cors from 'cors';
import express from 'express';
import passport from 'passport';

const app = express();
app.use(cors());
        //^^^^ http/cors authenticated
app.get('/admin/users', passport.authenticate('jwt', { session: false }), (_req, res) => res.json([]));
app.listen(8080);
