// k8s/resource-requests: every container and init container requests CPU and memory.
// A limit without a request counts: Kubernetes copies the limit into the request.
import { defineRule } from '../../server/src/engine/rule';
import { checkResources, fixResources, type ResourceRuleOptions } from '../lib/resources';

const options: ResourceRuleOptions = { section: 'requests', defaults: { cpu: '100m', memory: '128Mi' }, impliedBy: 'limits' };

export default defineRule({
  meta: {
    id: 'k8s/resource-requests',
    category: 'scalability',
    weight: 3,
    severity: 'warning',
    scope: 'location',
    title: 'Containers set CPU and memory requests',
    summary: 'each container sets resources.requests.cpu and resources.requests.memory',
    appliesTo: ['k8s'],
    subjects: { singular: 'container', plural: 'containers', passing: 'set CPU and memory requests' },
    messages: {
      missing: "{role} '{name}' in {kind} '{workload}' requests neither CPU nor memory (resources.requests)",
      missingCpu: "{role} '{name}' in {kind} '{workload}' requests memory but no CPU (resources.requests.cpu)",
      missingMemory: "{role} '{name}' in {kind} '{workload}' requests CPU but no memory (resources.requests.memory)",
    },
    fixable: true,
  },
  check(ctx) {
    checkResources(ctx, options);
  },
  fix(finding, kind, ctx) {
    return fixResources(finding, kind, ctx, options);
  },
});
