// How objects refer to each other: Service selectors, label selectors, autoscaler targets.
import * as assert from 'node:assert/strict';
import { labelSelectorMatches, mapSelects, quotedList, sameNamespace } from '../rules/lib/k8s-links';

describe('k8s links', () => {
  it('treats a missing namespace as default', () => {
    assert.ok(sameNamespace('', 'default'));
    assert.ok(sameNamespace('', ''));
    assert.ok(!sameNamespace('', 'shop'));
    assert.ok(sameNamespace('shop', 'shop'));
  });

  it('matches a Service selector when every label matches, never when empty', () => {
    assert.ok(mapSelects({ app: 'api' }, { app: 'api', tier: 'web' }));
    assert.ok(!mapSelects({ app: 'api', tier: 'db' }, { app: 'api', tier: 'web' }));
    assert.ok(!mapSelects({}, { app: 'api' }));
    assert.ok(!mapSelects(undefined, { app: 'api' }));
    assert.ok(mapSelects({ version: 2 }, { version: '2' }), 'numbers and strings compare as text');
  });

  it('evaluates label selectors: matchLabels and every matchExpressions operator', () => {
    const labels = { app: 'api', tier: 'web' };
    assert.ok(labelSelectorMatches({ matchLabels: { app: 'api' } }, labels, false));
    assert.ok(!labelSelectorMatches({ matchLabels: { app: 'db' } }, labels, false));
    assert.ok(labelSelectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'edge'] }] }, labels, false));
    assert.ok(!labelSelectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['db'] }] }, labels, false));
    assert.ok(labelSelectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] }, labels, false));
    assert.ok(!labelSelectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }] }, labels, false));
    assert.ok(labelSelectorMatches({ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, labels, false));
    assert.ok(!labelSelectorMatches({ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, labels, false));
    assert.ok(labelSelectorMatches({ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, labels, false));
    assert.ok(!labelSelectorMatches({ matchLabels: { app: 'api' }, matchExpressions: [{ key: 'tier', operator: 'Bogus' }] }, labels, false));
  });

  it('lets an empty selector match all only when asked (policy/v1), and a missing one never', () => {
    assert.ok(labelSelectorMatches({}, { app: 'api' }, true));
    assert.ok(!labelSelectorMatches({}, { app: 'api' }, false));
    assert.ok(!labelSelectorMatches(undefined, { app: 'api' }, true));
  });

  it('quotes lists for messages', () => {
    assert.equal(quotedList(['a']), "'a'");
    assert.equal(quotedList(['a', 'b']), "'a' and 'b'");
    assert.equal(quotedList(['a', 'b', 'c']), "'a', 'b' and 'c'");
  });
});
