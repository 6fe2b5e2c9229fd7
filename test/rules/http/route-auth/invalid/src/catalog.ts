import { Router } from 'express';
import { expressjwt } from 'express-jwt';

export const catalogRouter = Router();

const maybeUser = expressjwt({ secret: process.env.JWT_SECRET ?? '', algorithms: ['HS256'], credentialsRequired: false });

catalogRouter.get('/items', maybeUser, (_req, res) => res.json([]));
//^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ http/route-auth optional
