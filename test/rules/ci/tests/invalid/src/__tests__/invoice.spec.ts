import { describe, expect, it } from '@jest/globals';

describe('invoice', () => {
  it('adds up', () => {
    expect(1 + 1).toBe(2);
  });
});
