// http/input-validation: services whose routes take request bodies validate them with a
// schema library (or the framework's own schema support).
import { capabilityRule } from '../lib/http-capability';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'ALL']);

export default capabilityRule({
  id: 'http/input-validation',
  category: 'security',
  weight: 2,
  severity: 'info',
  title: 'Request bodies are validated',
  summary: 'services with routes that take request bodies validate them (zod, joi, yup, class-validator, ajv, pydantic, marshmallow ...)',
  what: 'request validation library',
  passing: 'validate request bodies',
  applies: (svc) => svc.routes.some((r) => BODY_METHODS.has(r.method)),
  libraries: [
    { pkg: 'zod', label: 'zod' },
    { pkg: 'joi', label: 'joi' },
    { pkg: '@hapi/joi', label: 'joi' },
    { pkg: 'yup', label: 'yup' },
    { pkg: 'class-validator', label: 'class-validator' },
    { pkg: 'ajv', label: 'ajv' },
    { pkg: 'express-validator', label: 'express-validator' },
    { pkg: 'celebrate', label: 'celebrate' },
    { pkg: '@sinclair/typebox', label: 'TypeBox' },
    { pkg: 'valibot', label: 'valibot' },
    { pkg: 'superstruct', label: 'superstruct' },
    { pkg: '@hono/zod-validator', label: '@hono/zod-validator' },
    { pkg: 'pydantic', label: 'pydantic' },
    { pkg: 'marshmallow', label: 'marshmallow' },
    { pkg: 'rest_framework.serializers', label: 'DRF serializers' },
    { pkg: 'django.forms', label: 'Django forms' },
    { pkg: 'wtforms', label: 'WTForms' },
    { pkg: 'flask_wtf', label: 'Flask-WTF' },
    { pkg: 'cerberus', label: 'Cerberus' },
    { pkg: 'voluptuous', label: 'voluptuous' },
    { pkg: 'jsonschema', label: 'jsonschema' },
  ],
});
