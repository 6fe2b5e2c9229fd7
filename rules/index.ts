// The catalogue: every rule, in the order of the rule catalogue. The catalogue test
// checks that this list, the rule files, their docs and their fixtures agree.
import type { Rule } from '../server/src/engine/rule';
import k8sResourceLimits from './k8s/resource-limits';
import k8sResourceRequests from './k8s/resource-requests';
import k8sProbes from './k8s/probes';
import k8sNonRoot from './k8s/non-root';
import k8sPrivilege from './k8s/privilege';
import k8sSecretInEnv from './k8s/secret-in-env';
import k8sImageTag from './k8s/image-tag';
import k8sReplicas from './k8s/replicas';
import k8sAutoscaling from './k8s/autoscaling';
import k8sDisruptionBudget from './k8s/disruption-budget';
import k8sIngressTls from './k8s/ingress-tls';
import k8sReadOnlyRoot from './k8s/read-only-root';
import dockerNonRootUser from './docker/non-root-user';
import dockerHealthcheck from './docker/healthcheck';
import dockerImageTag from './docker/image-tag';
import dockerSecretInBuild from './docker/secret-in-build';
import dockerDockerignore from './docker/dockerignore';
import dockerDevCommand from './docker/dev-command';
import composeResourceLimits from './compose/resource-limits';
import composeHealthcheck from './compose/healthcheck';
import composeRestartPolicy from './compose/restart-policy';
import composeSecretInEnv from './compose/secret-in-env';
import composeDbPortExposed from './compose/db-port-exposed';
import composePersistentVolume from './compose/persistent-volume';
import httpRouteAuth from './http/route-auth';
import httpAuthMechanism from './http/auth-mechanism';
import httpRateLimit from './http/rate-limit';
import httpCors from './http/cors';
import httpDebugMode from './http/debug-mode';
import httpHealthEndpoint from './http/health-endpoint';
import httpMetricsEndpoint from './http/metrics-endpoint';
import httpInputValidation from './http/input-validation';
import serviceStructuredLogging from './service/structured-logging';
import serviceTracing from './service/tracing';
import serviceGracefulShutdown from './service/graceful-shutdown';
import serviceTimeouts from './service/timeouts';
import serviceRetries from './service/retries';
import serviceCircuitBreaker from './service/circuit-breaker';
import serviceDevServer from './service/dev-server';
import dataPersistence from './data/persistence';
import dataMigrations from './data/migrations';
import dataBackups from './data/backups';
import secretsHardcoded from './secrets/hardcoded';
import secretsDotenvCommitted from './secrets/dotenv-committed';
import secretsSecretManager from './secrets/secret-manager';
import ciPipeline from './ci/pipeline';
import ciTests from './ci/tests';
import ciSecurityScan from './ci/security-scan';
import configEnvExample from './config/env-example';
import configLockfile from './config/lockfile';
import docsReadme from './docs/readme';
import docsSecurityPolicy from './docs/security-policy';
import docsApiSpec from './docs/api-spec';
import docsRunbook from './docs/runbook';
import metaSuppressionReason from './meta/suppression-reason';
import metaUnusedSuppression from './meta/unused-suppression';

export const allRules: readonly Rule[] = [
  k8sResourceLimits,
  k8sResourceRequests,
  k8sProbes,
  k8sNonRoot,
  k8sPrivilege,
  k8sSecretInEnv,
  k8sImageTag,
  k8sReplicas,
  k8sAutoscaling,
  k8sDisruptionBudget,
  k8sIngressTls,
  k8sReadOnlyRoot,
  dockerNonRootUser,
  dockerHealthcheck,
  dockerImageTag,
  dockerSecretInBuild,
  dockerDockerignore,
  dockerDevCommand,
  composeResourceLimits,
  composeHealthcheck,
  composeRestartPolicy,
  composeSecretInEnv,
  composeDbPortExposed,
  composePersistentVolume,
  httpRouteAuth,
  httpAuthMechanism,
  httpRateLimit,
  httpCors,
  httpDebugMode,
  httpHealthEndpoint,
  httpMetricsEndpoint,
  httpInputValidation,
  serviceStructuredLogging,
  serviceTracing,
  serviceGracefulShutdown,
  serviceTimeouts,
  serviceRetries,
  serviceCircuitBreaker,
  serviceDevServer,
  dataPersistence,
  dataMigrations,
  dataBackups,
  secretsHardcoded,
  secretsDotenvCommitted,
  secretsSecretManager,
  ciPipeline,
  ciTests,
  ciSecurityScan,
  configEnvExample,
  configLockfile,
  docsReadme,
  docsSecurityPolicy,
  docsApiSpec,
  docsRunbook,
  metaSuppressionReason,
  metaUnusedSuppression,
];
