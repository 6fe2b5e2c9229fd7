// k8s/resource-limits: every container and init container sets a CPU and a memory limit.
import { defineRule } from '../../server/src/engine/rule';
import { checkResources, fixResources, type ResourceRuleOptions } from '../lib/resources';

const options: ResourceRuleOptions = { section: 'limits', defaults: { cpu: '500m', memory: '256Mi' } };

export default defineRule({
  meta: {
    id: 'k8s/resource-limits',
    category: 'scalability',
    weight: 5,
    severity: 'warning',
    scope: 'location',
    title: 'Containers set CPU and memory limits',
    summary: 'each container sets resources.limits.memory and resources.limits.cpu',
    appliesTo: ['k8s'],
    subjects: { singular: 'container', plural: 'containers', passing: 'set CPU and memory limits' },
    messages: {
      missing: "{role} '{name}' in {kind} '{workload}' sets no CPU or memory limit (resources.limits)",
      missingCpu: "{role} '{name}' in {kind} '{workload}' sets a memory limit but no CPU limit (resources.limits.cpu)",
      missingMemory: "{role} '{name}' in {kind} '{workload}' sets a CPU limit but no memory limit (resources.limits.memory)",
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
